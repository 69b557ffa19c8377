welcome = Bienvenue dans docklab { $version }, un shell pour apprendre les images Docker. Tapez de vraies commandes (docker pull nginx, mkdir, cd…) ; tapez aide pour les commandes du tuteur.
help = Commandes du tuteur (les mots anglais marchent aussi) :
labs-header = Ateliers :
lab-line = { "  " }{ $id } — { $title } ({ $done }/{ $steps } { $steps ->
        [one] étape
       *[other] étapes
    })
no-labs = Aucun atelier n'a pu être chargé.
labs-how-to-start = Tapez commencer suivi de l'identifiant d'un atelier, par exemple : commencer images
lab-started = Atelier { $id } : { $title } ({ $steps } { $steps ->
        [one] étape
       *[other] étapes
    })
lab-resumed = Retour à l'atelier { $id } : { $title }, étape { $step } sur { $steps }.
step-header = Étape { $n }/{ $total } : { $title }
step-passed = ✔ Étape { $n } réussie : { $title }
step-skipped = ↷ Étape { $n } passée, sa solution a été appliquée : { $title }
lab-completed = 🎉 Atelier terminé : { $title }
score = Score : { $done }/{ $total } { $total ->
        [one] étape réussie
       *[other] étapes réussies
    } par vous-même{ $skipped ->
        [0] .
        [one] , 1 étape passée.
       *[other] , { $skipped } étapes passées.
    }
still-missing = Pas encore. Il manque :
all-checks-pass = Tout ce que demande cette étape est en place.
hint-header = Indice { $n }/{ $total } :
no-more-hints = Plus d'indice pour cette étape.
solution-header = La solution :
skip-offer = Tapez passer pour l'appliquer et continuer (la note le gardera).
no-lab-started = Aucun atelier en cours. Tapez ateliers pour les voir, puis commencer suivi d'un identifiant.
lab-finished = Cet atelier est terminé.
unknown-lab = Il n'y a pas d'atelier « { $id } ».
did-you-mean-lab = Vouliez-vous dire : commencer { $id } ?
start-usage = Quel atelier ? Tapez commencer suivi de son identifiant, par exemple : commencer images
lang-switched = Le tuteur parle désormais français.
lang-usage = Langue inconnue « { $lang } ». Tapez langue fr ou langue en.
bye = Au revoir !
did-you-mean = Vouliez-vous dire : { $suggestion } ?
forbidden = docklab refuse d'exécuter « { $command } » dans cette étape :
mistake = Attention :
reset-done = L'atelier { $id } repart de son état initial.
progress-header = Progression :
progress-lab = { $id } — { $title } : { $done }/{ $total } { $done ->
        [one] réussie
       *[other] réussies
    }{ $skipped ->
        [0] {""}
        [one] , 1 passée
       *[other] , { $skipped } passées
    }
progress-step = { "    " }{ $status ->
        [passed] ✔
        [skipped] ↷
        [current] ▶
       *[other] ·
    } { $n }. { $title }
outside-workspace = « { $dir } » est hors de votre espace de travail ; cd reste dans ~.
no-such-dir = cd : { $dir } : pas de tel répertoire
shell-failed = Impossible d'exécuter la commande : { $error }
not-simulated = docklab ne simule pas `docker { $command }` : les ateliers n'utilisent que les commandes d'images. Pour la lancer pour de vrai, démarrez docklab avec --engine docker sur une machine où Docker est installé.
not-emulated = docklab ne peut pas exécuter `{ $command }` dans un conteneur : le simulateur n'exécute aucun programme. Il connaît echo, true, false, cat des fichiers d'une image, exit, les scripts sh -c simples qui les combinent, les shells, sleep et les serveurs des images. Pour l'exécuter pour de vrai, démarrez docklab avec --engine docker sur une machine où Docker est installé.
engine-failed = Le moteur a échoué : { $error }
bad-quoting = Impossible de découper la ligne en mots : { $error }
interrupt-hint = (Ctrl-C annule la ligne ; Ctrl-D ou quitter pour sortir.)
line-not-text = Cette ligne n'est pas du texte UTF-8 (un octet que docklab ne peut pas lire comme un caractère) : elle n'a pas été exécutée. Retapez-la.
progress-unreadable = La progression de l'atelier { $id } n'a pas pu être lue ({ $error }). Votre travail précédent (progression, images, fichiers) est conservé dans { $kept } ; l'atelier recommence.
start-state-failed = Impossible de préparer { $reference } pour l'atelier : { $error }
lab-load-failed = Un fichier d'atelier n'a pas pu être chargé : { $error }
lab-summary = { $id } — { $title } ({ $steps } { $steps ->
        [one] étape
       *[other] étapes
    })
grade-line = { $id } — { $title } : { $score } % ({ $done }/{ $total } { $done ->
        [one] réussie
       *[other] réussies
    }{ $skipped ->
        [0] {""}
        [one] , 1 passée
       *[other] , { $skipped } passées
    })
report-written = Rapport écrit dans { $path } ({ $entries } { $entries ->
        [one] entrée
       *[other] entrées
    }).
verify-chain-ok = Chaîne de hachage intacte ({ $entries } { $entries ->
        [one] entrée
       *[other] entrées
    }).
verify-chain-broken = Le rapport a été modifié : la chaîne de hachage est rompue à l'entrée { $entry }.
verify-replay-ok = Le rejeu sur un moteur simulé neuf confirme les résultats : { $passed } { $passed ->
        [one] réussie
       *[other] réussies
    }, { $skipped } { $skipped ->
        [one] passée
       *[other] passées
    }.
verify-mismatch = Le rejeu ne confirme pas l'étape { $step } : le rapport dit { $claimed }, le rejeu donne { $replayed }.
verify-unreadable = Impossible de lire le rapport : { $error }
verify-disclaimer = Remarque : un rapport est infalsifiable sans que cela se voie et reproductible, mais pas impossible à contrefaire.
verify-student = Élève : { $name } (tel qu'écrit dans le rapport : un nom n'est pas authentifié).
verify-lab-switched = Rejeté : la transcription passe à l'atelier { $to } dans la section de cet atelier ; une section n'est notée que sur son propre atelier.
path-refused = Refusé dans le bac à sable du rejeu : { $path } { $reason ->
        [device] est un périphérique ou un fichier du noyau (/dev, /proc, /sys).
        [special-file] est un tube nommé (FIFO), une socket ou un périphérique.
        [symlink-loop] passe par trop de liens symboliques.
       *[other] ne peut pas être placé dans le bac à sable.
    }
verify-time-limit = Rejeté : le rejeu ne s'est pas terminé en { $seconds } s (DOCKLAB_REPLAY_TIMEOUT fixe la limite).
verify-size-limit = Rejeté : le rejeu a écrit plus de { $size } dans son bac à sable (DOCKLAB_REPLAY_MAX_BYTES fixe la limite).
verify-memory-limit = Rejeté : le rejeu a utilisé plus de { $size } de mémoire (DOCKLAB_REPLAY_MAX_MEMORY fixe la limite).
verify-replay-failed = Rejeté : le rejeu n'a pas pu aller jusqu'au bout : { $error }
verify-result-differs = Le rejeu ne confirme pas le résultat (score, total ou achèvement), sans désaccord sur une étape.
gradebook-progress = { $done }/{ $total } { $total ->
        [one] rapport vérifié
       *[other] rapports vérifiés
    }
gradebook-written = Carnet de notes écrit dans { $path } : { $rows } { $rows ->
        [one] ligne
       *[other] lignes
    }, { $verified } { $verified ->
        [one] vérifiée
       *[other] vérifiées
    }, { $rejected } { $rejected ->
        [one] rejetée
       *[other] rejetées
    }.
gradebook-no-dir = Impossible de lire le répertoire de rapports { $path } : { $error }
gradebook-write-failed = Impossible d'écrire le carnet de notes { $path } : { $error }
docker-not-found = docklab ne trouve pas la commande Docker { $program }. Installez Docker, donnez son chemin avec --docker-bin, ou utilisez le moteur simulé (docklab sans --engine docker).
daemon-not-running = Le démon Docker ne tourne pas{ $host ->
        [none] {""}
       *[other] {""} ({ $host })
    }. Démarrez-le (par exemple sudo systemctl start docker), ou utilisez le moteur simulé : docklab sans --engine docker.
daemon-permission-denied = Vous n'avez pas le droit d'utiliser le démon Docker ({ $socket }). Ajoutez votre utilisateur au groupe docker (sudo usermod -aG docker $USER, puis reconnectez-vous), ou utilisez le moteur simulé : docklab sans --engine docker.
api-timed-out = Le démon Docker ({ $host }) n'a pas répondu à docklab en { $seconds } s. Il est peut-être occupé : réessayez, ou utilisez le moteur simulé : docklab sans --engine docker.
api-failed = Le démon Docker ({ $host }) a refusé la question de docklab { $request } (HTTP { $status }) : { $message }
api-unexpected = docklab n'a pas compris la réponse du démon Docker ({ $host }) à { $request } : { $detail }
store-locked = Un autre docklab utilise le magasin { $path } (attente : { $seconds } s). Terminez ou fermez l'autre docklab, puis réessayez.
store-corrupt = Le magasin est endommagé : { $error }. Lancez docklab store fsck pour voir ce qui ne va pas.
store-future = Le magasin { $path } a été écrit par un docklab plus récent (état en version { $found } ; ce docklab lit la version { $supported }). Il n'a pas été modifié : utilisez ce docklab plus récent, ou un autre répertoire de données (--home).
store-disk-full = Le disque est plein : docklab n'a pas pu écrire dans { $path }. La commande n'a pas été faite et les images déjà là sont intactes. Libérez de la place, puis réessayez.
reset-real-plan = Sur votre vrai Docker, cet atelier a créé { $count } { $count ->
        [one] élément
       *[other] éléments
    } que recommencer peut supprimer (rien de ce qui existait avant l'atelier) :
reset-real-unknown = docklab ne sait pas ce que contenait votre moteur Docker au début de cet atelier : recommencer n'y supprime donc rien.
bad-clock = DOCKLAB_CLOCK={ $value } n'est pas une date RFC 3339 (par exemple 2025-10-29T12:00:00Z).
bad-lang = --lang { $value } : docklab parle fr et en.
fsck-checked = { $blobs } { $blobs ->
        [one] blob vérifié
       *[other] blobs vérifiés
    } dans { $path }.
fsck-missing = manquant : { $digest } ({ $what })
fsck-corrupt = corrompu : { $name } (son contenu ne correspond pas à son empreinte)
fsck-inconsistent = incohérent : { $what }
fsck-swept = { $count } { $count ->
        [one] fichier temporaire laissé par une écriture interrompue a été supprimé
       *[other] fichiers temporaires laissés par une écriture interrompue ont été supprimés
    }.
fsck-unreferenced = { $count } { $count ->
        [one] blob non référencé
       *[other] blobs non référencés
    } (sans conséquence).
fsck-clean = Le magasin est cohérent.
store-compacted = Le magasin { $path } a été réécrit en entier, avec son journal ; index.json { $images ->
        [0] ne liste aucune image
        [one] liste son image
       *[other] liste ses { $images } images
    }.
fsck-listing-rewritten = La liste des images (state.list) manquait, était abîmée ou n'était plus à jour : elle a été réécrite d'après le fichier d'état.
fsck-freed = { $count } { $count ->
        [one] blob libéré par une commande récente, supprimé
       *[other] blobs libérés par des commandes récentes, supprimés
    } à la prochaine réécriture du fichier d'état (docklab store compact).
report-write-failed = Le rapport n'a pas pu être écrit dans { $path } ({ $error ->
        [disk-full] le disque est plein
       *[other] { $error }
    }). Un fichier déjà présent est laissé tel quel.
progress-not-saved = Votre progression dans l'atelier { $id } n'a pas pu être enregistrée dans { $path } ({ $error ->
        [disk-full] le disque est plein
       *[other] { $error }
    }). Vous pouvez continuer : docklab la garde en mémoire et réessaie après chaque commande, mais elle sera perdue si vous quittez avant qu'un enregistrement réussisse.
progress-saved-again = Votre progression dans l'atelier { $id } est de nouveau enregistrée.

## Tentatives (ne jamais perdre le travail) : un atelier terminé s'ouvre en relecture, recommencer
## demande d'abord et garde la tentative qu'il clôt pour le rapport, qui note la meilleure.
lab-review = L'atelier { $id } ({ $title }) est terminé : vous le relisez, avec vos fichiers et vos images tels que vous les avez laissés. Sa note et sa transcription sont gardées. Pour commencer une nouvelle tentative, tapez recommencer : celle-ci compte toujours pour votre note.
lab-kept-attempt = { "    " }tentative { $n } gardée pour la note : { $done }/{ $steps } { $steps ->
        [one] étape
       *[other] étapes
    }
attempt-started = Ceci est la tentative { $n } : vos tentatives précédentes sont gardées, et le rapport note la meilleure.
reset-plan = Recommencer l'atelier { $id } supprime vos fichiers dans ~ ({ $files } { $files ->
        [0] fichier
        [one] fichier
       *[other] fichiers
    }) et votre progression ({ $done }/{ $total } { $total ->
        [one] étape faite
       *[other] étapes faites
    }).
reset-plan-store = Cela supprime aussi les images ({ $images }) et les conteneurs ({ $containers }) de l'atelier : il repart de ses images de départ.
reset-keeps = Votre transcription est gardée pour le rapport comme tentative { $n }{ $completed ->
        [yes]  : cette tentative terminée compte toujours pour votre note.
       *[other] .
    }
reset-confirm = Recommencer ? [o/N]
reset-cancelled = Recommencement annulé : rien n'a été supprimé.
reset-not-kept = La tentative en cours n'a pas pu être gardée pour le rapport ({ $error ->
        [disk-full] le disque est plein
       *[other] { $error }
    }) : rien n'a donc été supprimé.
grade-attempt = noté sur la tentative { $n } sur { $attempts } (la meilleure)
verify-attempt = tentative { $n }
verify-graded = Noté sur la tentative { $n } sur { $attempts } (la meilleure confirmée) : { $passed } { $passed ->
        [0] réussie
        [one] réussie
       *[other] réussies
    }, { $skipped } { $skipped ->
        [0] passée
        [one] passée
       *[other] passées
    }.
verify-none-confirmed = Aucune des { $attempts } tentatives n'est confirmée.
# docker search et le catalogue hors ligne (issue #15)
catalog-lacks = Docker Hub propose bien une image officielle { $image }, mais docklab fonctionne hors ligne et son catalogue ne la contient pas. Les images que vous pouvez télécharger ici : { $available }. Pour y chercher, tapez docker search suivi d'un mot, par exemple docker search linux.
official-image-is = Docker Hub n'a pas d'image officielle nommée { $typed } ; l'image officielle de ce logiciel s'appelle { $official }.
catalog-tags = Le catalogue hors ligne de docklab n'a { $image } qu'avec ces tags : { $tags }. Indiquez l'un d'eux (IMAGE:TAG).
## The student's shell (issue #15, "behave like a shell")
shell-editor-missing = { $editor } n'est pas installé sur cette machine. Éditeurs disponibles ici : { $available }. Vous pouvez aussi écrire le fichier depuis l'invite avec un here-document, terminé par une ligne qui ne contient que EOF :
    cat > Dockerfile <<EOF
    FROM nginx
    COPY index.html /usr/share/nginx/html/
    EOF
shell-editor-none = { $editor } n'est pas installé sur cette machine, ni aucun autre éditeur en terminal. Écrivez le fichier depuis l'invite avec un here-document, terminé par une ligne qui ne contient que EOF :
    cat > Dockerfile <<EOF
    FROM nginx
    COPY index.html /usr/share/nginx/html/
    EOF
shell-no-oldpwd = cd - : il n'y a pas encore de répertoire précédent (OLDPWD n'est pas défini).
shell-sudo-docker = Pas de sudo ici : docklab exécute lui-même les commandes Docker. Tapez `{ $line }`.
shell-interrupted = Interrompu (Ctrl-C) : `{ $command }` s'est arrêté. Ce qui était terminé est conservé ; rien d'écrit à moitié ne reste dans le stockage des images.

## entraînement (ateliers d'entraînement générés)
practice-seed = Entraînement { $id }, graine { $seed } : un enseignant obtient le même atelier avec docklab lab generate --seed { $seed }, et vous pouvez le recommencer avec commencer { $id }. Le fichier de l'atelier : { $path }
practice-not-written = Entraînement de graine { $seed } (docklab lab generate --seed { $seed }) ; son fichier n'a pas pu être écrit dans { $path } : { $error }
practice-usage = « { $seed } » n'est pas une graine : entrainement prend un nombre entier de 0 à 18446744073709551615, ou rien pour une graine tirée de l'horloge.
lab-in-use = L'atelier { $id } est déjà ouvert dans un autre docklab (processus { $pid }) ; deux shells sur un même atelier écraseraient chacun la transcription de l'autre. Quittez ce shell (quitter ou Ctrl-D), puis démarrez l'atelier ici. Rien n'a été modifié. (Verrou : { $path })
lab-in-use-unknown = L'atelier { $id } est déjà ouvert dans un autre docklab ; deux shells sur un même atelier écraseraient chacun la transcription de l'autre. Quittez ce shell (quitter ou Ctrl-D), puis démarrez l'atelier ici. Rien n'a été modifié. (Verrou : { $path })

# aide : une ligne par commande du tuteur, tirée de la table de src/command.rs (TUTOR_COMMANDS)
help-command = { $command ->
        [help] cette liste
        [labs] lister les ateliers
        [start] commencer ou reprendre un atelier (commencer images)
        [step] réafficher l'étape en cours
        [check] dire ce qui manque encore dans cette étape
        [hint] l'indice suivant (puis la solution)
        [next] passer à l'étape suivante une fois celle-ci réussie
        [skip] appliquer la solution de l'étape et continuer (noté dans la note)
        [reset] une nouvelle tentative de l'atelier en cours (demande ; la précédente est gardée)
        [progress] votre progression dans chaque atelier
        [layers] le dessin des couches des images (d'une seule si on la nomme)
        [goal] l'objectif de l'étape à côté des images actuelles
        [explain] expliquer ou non ce que change chaque commande Docker
        [lang] changer de langue
        [practice] un atelier d'entraînement généré : état de départ et objectif tirés au hasard (graine tirée de l'horloge sans GRAINE)
        [quit] sortir (Ctrl-D aussi)
       *[other] {""}
    }
help-footer = Les autres lignes sont exécutées : docker … sur le moteur, le reste dans votre espace de travail (~).

# L'image des couches (`couches`) et l'explication de ce que chaque commande Docker a changé.
layers-summary = { $images } { $images ->
        [one] image
       *[other] images
    }, { $layers } { $layers ->
        [one] couche
       *[other] couches
    } ({ $shared } { $shared ->
        [one] partagée
       *[other] partagées
    } entre images)
layers-disk =
    Sur le disque, chaque couche une fois (comme docker system df) : { $size }
    Somme des tailles des images (couches partagées recomptées) : { $naive }
layers-dangling = en suspens
layers-running = { $n } { $n ->
        [one] conteneur en cours
       *[other] conteneurs en cours
    }
layers-stopped = { $n } { $n ->
        [one] conteneur arrêté
       *[other] conteneurs arrêtés
    }
layers-empty = Aucune image : le magasin est vide.
layers-no-image = Aucune image ne s'appelle { $image }.
explain-on = Après chaque commande Docker, docklab expliquera ce qui a changé dans le magasin d'images.
explain-off = docklab n'expliquera plus ce que change chaque commande Docker.
explain-usage = Utilisation : expliquer oui|non (actuellement { $state ->
        [on] oui
       *[other] non
    }).
explain-image-added = Nouvelle image { $image } ({ $size }) : { $added } { $added ->
        [one] couche ajoutée
       *[other] couches ajoutées
    }{ $reused ->
        [0] {""}
        [one] , 1 couche déjà présente (partagée avec une autre image)
       *[other] , { $reused } couches déjà présentes (partagées avec d'autres images)
    }.
explain-tag-added = Le tag { $tag } désigne maintenant l'image { $image } : aucune couche n'a été copiée, un tag n'est qu'un nom de plus pour la même image{ $others ->
        [0] {""}
        [one] {""} (cette image a maintenant 2 tags)
       *[other] {""} (cette image a maintenant { $others } autres tags)
    }.
explain-tag-moved = Le tag { $tag } est passé de l'image { $from } à l'image { $to }.
explain-now-dangling = L'image { $image } n'a plus aucun tag : elle est maintenant en suspens (<none>:<none>) ; docker image prune supprime ces images.
explain-untagged = Seul le tag { $tag } a disparu : l'image { $image } est toujours là avec ses couches ({ $remaining ->
        [0] il ne lui reste aucun tag
        [one] il lui reste 1 tag
       *[other] il lui reste { $remaining } tags
    }). Rien n'a été libéré.
explain-image-deleted = L'image { $image } a été supprimée.
explain-image-deleted-tagged = L'image { $image } ({ $tags }) a été supprimée.
explain-layers-freed = { $count } { $count ->
        [one] couche a été libérée
       *[other] couches ont été libérées
    }, { $size } récupérés : plus aucune image ne { $count ->
        [one] l'utilisait
       *[other] les utilisait
    }.
explain-layers-kept = { $count } { $count ->
        [one] couche a été conservée
       *[other] couches ont été conservées
    } ({ $size }) parce que { $images } { $users ->
        [one] { $count ->
            [one] l'utilise
           *[other] les utilise
        }
       *[other] { $count ->
            [one] l'utilisent
           *[other] les utilisent
        }
    } encore.
explain-layers-kept-by-cache = { $count } { $count ->
        [one] couche a été conservée
       *[other] couches ont été conservées
    } ({ $size }) : aucune image ne { $count ->
        [one] l'utilise
       *[other] les utilise
    }, mais le cache de construction de BuildKit { $count ->
        [one] la garde
       *[other] les garde
    } (docker builder prune libère ce qu'aucune image ne partage).
explain-container-running = Le conteneur { $name } a été créé à partir de { $image } et tourne.
explain-container-exited = Le conteneur { $name } a été créé à partir de { $image } ; son programme s'est terminé, il est donc arrêté (il existe toujours : docker ps -a).
explain-container-stopped = Le conteneur { $name } a été arrêté.
explain-container-started = Le conteneur { $name } a été démarré.
explain-container-removed = Le conteneur { $name } a été supprimé.
explain-cache-cleared = Le cache de construction a été vidé ({ $count } { $count ->
        [one] enregistrement
       *[other] enregistrements
    }, { $size }).
explain-refused-in-use = Refusé : le conteneur { $container }, en cours d'exécution, utilise l'image { $image }. Supprimez d'abord le conteneur (docker rm -f { $container }), puis docker rmi { $image }. Avec -f maintenant, docker retirerait seulement le tag : l'image resterait sur le disque, en suspens (<none>), parce que { $container } l'exécute.
explain-refused-running = Refusé : le conteneur { $container }, en cours d'exécution, utilise l'image { $image }. Arrêtez et supprimez d'abord le conteneur (docker rm -f { $container }) ; même -f ne peut pas supprimer une image qu'un conteneur en cours utilise.
explain-refused-stopped = Refusé : le conteneur arrêté { $container } utilise encore l'image { $image }. Supprimez-le d'abord (docker rm { $container }), ou forcez avec -f : l'image est alors supprimée, mais ses couches restent sur le disque pour { $container } jusqu'à ce que vous le supprimiez.
explain-refused-tags = Refusé : plusieurs tags désignent l'image { $image }, la supprimer par son ID est donc ambigu. Retirez les tags un par un (docker rmi TAG), ou forcez avec -f : docker retire alors tous ses tags et supprime l'image.
explain-refused-children = Refusé : d'autres images sont construites sur l'image { $image } (ses enfants) et en ont besoin. Même -f ne peut pas la supprimer : supprimez d'abord les images construites dessus (docker images -a les montre).

## L'image de l'objectif (`objectif`) : l'état attendu à la fin de l'étape, à côté du magasin actuel.
goal-heading = Objectif de l'étape { $n }/{ $total } : { $title }
goal-now = Maintenant
goal-target = Objectif
goal-absent = absent
goal-count = { $dangling ->
        [yes] Images en suspens
       *[no] Images
    } : { $now } maintenant ; l'objectif est { $bound ->
        [equals] exactement
        [at-least] au moins
       *[at-most] au plus
    } { $n }.
goal-container = Conteneurs créés à partir de { $image } : objectif, { $want ->
        [running] au moins un en cours d'exécution
        [exists] au moins un, en cours d'exécution ou arrêté
        [none-running] aucun en cours d'exécution
       *[none] aucun
    } ; maintenant, { $count ->
        [0] aucun
       *[other] { $names }
    }.
goal-container-state = { $running ->
        [yes] en cours d'exécution
       *[no] arrêté
    }
goal-other = { $n ->
        [one] { $n } autre vérification n'est pas dessinée
       *[other] { $n } autres vérifications ne sont pas dessinées
    } (fichiers, commandes, configuration…) : tapez « vérifier » pour voir ce qui manque encore.
goal-legend = { $yes } déjà comme le veut l'objectif, { $no } pas encore (une image qu'aucune vérification ne nomme peut rester ou partir, sauf si un nombre demandé l'interdit).
goal-no-images = Les vérifications de l'étape { $n } ne décrivent ni images ni tags (elles portent sur des fichiers, des commandes ou une configuration) : il n'y a pas d'objectif à dessiner. Tapez « étape » pour voir quoi faire, « vérifier » pour voir ce qui manque encore.

# ---- Enseigner seulement le vrai (issue #15) : explications tirées du résultat réel du moteur ----
explain-now-dangling-used = L'image { $image } n'a plus aucun tag : elle est maintenant en suspens (<none>:<none>), mais elle reste sur le disque parce que le conteneur { $container } { $running ->
        [yes] (en cours d'exécution)
       *[no] (arrêté)
    } l'utilise ; docker image prune garde une image qu'un conteneur utilise. Supprimez d'abord le conteneur ({ $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container }), docker image prune la supprimera ensuite.
explain-layers-kept-by-container = { $count } { $count ->
        [one] couche reste
       *[other] couches restent
    } sur le disque ({ $size }) : { $users ->
        [one] le conteneur
       *[other] les conteneurs
    } { $containers } { $users ->
        [one] repose
       *[other] reposent
    } encore dessus (un conteneur garde les couches de son image même une fois l'image supprimée). docker rm { $count ->
        [one] la libère
       *[other] les libère
    }.
explain-refused-in-use-stopped = Refusé : le conteneur arrêté { $container } utilise l'image { $image }. Supprimez d'abord le conteneur (docker rm { $container }), puis docker rmi { $image }. Avec -f, docker retirerait le tag et supprimerait l'image, mais ses couches resteraient sur le disque pour { $container } jusqu'à ce que vous le supprimiez.
explain-prune-spared = L'image { $image } n'a pas été supprimée : le conteneur { $container } { $running ->
        [yes] (en cours d'exécution)
       *[no] (arrêté)
    } l'utilise, et prune ne supprime jamais une image qu'un conteneur utilise. Supprimez d'abord le conteneur ({ $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container }).
explain-prune-nothing = Aucune image n'a été supprimée : { $all ->
        [yes] aucune image n'était inutilisée par les conteneurs.
       *[no] il n'y avait aucune image en suspens (sans tag, utilisée par aucun conteneur). docker image prune -a supprime aussi les images avec un tag qu'aucun conteneur n'utilise.
    }
explain-prompt-wants-y = Docker n'a rien fait : sa question [y/N] n'accepte que y (pour yes, en anglais) ; votre réponse « { $answer } » vaut non. Relancez la commande et répondez y, ou ajoutez -f pour ne pas avoir la question.
explain-build-no-dockerfile = { $folder ->
        [no] Il n'y a pas de dossier { $dir } ici
       *[yes] { $here ->
            [yes] Il n'y a pas de Dockerfile dans le dossier courant (.)
           *[no] Il n'y a pas de Dockerfile dans { $dir }
        }
    } : docker build lit le Dockerfile du dossier que vous lui donnez (le contexte de construction). Allez dans le dossier qui le contient (cd), ou donnez le chemin de ce dossier : docker build -t NOM DOSSIER.
explain-build-no-context = docker build a besoin du contexte de construction : le dossier envoyé au builder, en général . (le dossier courant), à la fin de la ligne : docker build -t NOM .
explain-build-copy-missing = COPY n'a trouvé aucun { $source } dans le contexte de construction : le fichier doit être dans le dossier donné à docker build (à côté du Dockerfile), écrit exactement pareil. Créez-le là, ou construisez depuis le dossier qui le contient.
explain-build-uppercase = Les noms d'image s'écrivent en minuscules : Docker refuse { $name }. Utilisez plutôt { $lower } : docker build -t { $lower } .
explain-build-no-tag = L'image a été construite mais n'a pas de nom : sans -t, elle apparaît comme <none> dans docker images (ID { $image }). Nommez-la avec docker tag { $image } NOM, ou reconstruisez avec -t NOM.
layers-intermediate = image intermédiaire du builder classique, pas en suspens
explain-container-freed-layers = Le conteneur { $name } reposait sur l'image { $image }, supprimée plus tôt : les couches qu'il était seul à garder sont libérées avec lui.
explain-intermediate-added = Image intermédiaire { $image } du builder classique (une par instruction, sans tag ; d'autres images sont construites dessus, elle n'est donc pas en suspens) : { $added } { $added ->
        [one] couche ajoutée
       *[other] couches ajoutées
    }{ $reused ->
        [0] {""}
       *[other] , { $reused } déjà { $reused ->
            [one] présente
           *[other] présentes
        }
    }.
explain-dangling-unused = L'image en suspens { $image } reste sur le disque, mais aucun conteneur ne l'utilise plus : docker image prune la supprime maintenant.

# lab lint, lab test, lab new, labs : ce que lisent les enseignants.
lint-severity = { $severity ->
        [warning] avertissement
       *[error] erreur
    }
lint-syntax = Erreur de syntaxe TOML : { $error }
lint-unknown-key = Clé inconnue `{ $key }` { $table ->
        [top] au premier niveau de l'atelier.
       *[other] dans { $table }.
    }
lint-did-you-mean = Vouliez-vous dire `{ $suggestion }` ?
lint-expected = Valeurs possibles : { $list }.
lint-missing-key = Clé manquante `{ $key }` { $table ->
        [top] au premier niveau de l'atelier.
       *[other] dans { $table }.
    }
lint-wrong-type = { $path } doit être { $expected ->
        [string] une chaîne
        [integer] un entier
        [boolean] true ou false
        [table] une table
        [array] un tableau
        [text] un texte dans les deux langues, `{ "{" } fr = "…", en = "…" { "}" }`
       *[check] une vérification, une table à une clé comme `{ "{" } image_present = "nginx" { "}" }`
    }, pas { $found ->
        [string] une chaîne
        [integer] un entier
        [float] un nombre décimal
        [boolean] un booléen
        [datetime] une date
        [array] un tableau
       *[table] une table
    }.
lint-negative = { $path } doit être un nombre entier positif ou nul.
lint-missing-text = { $path } : le texte { $lang ->
        [fr] français
       *[en] anglais
    } manque.
lint-empty-text = { $path } : le texte { $lang ->
        [fr] français
       *[en] anglais
    } est vide.
lint-bad-reference = Référence d'image invalide « { $reference } » : { $error }
lint-bad-pattern = Le modèle de commande « { $pattern } » n'est pas une commande Docker que docklab connaît : { $error }
lint-unknown-value = Valeur inconnue « { $value } » pour { $path }.
lint-no-bound = { $path } a besoin d'une borne : equals, at_least ou at_most.
lint-check-shape = { $path } : une vérification est une table à exactement une clé, son type ; celle-ci en a { $keys }.
lint-same-image-arity = same_image compare exactement 2 références ; { $found } { $found ->
        [one] donnée
       *[other] données
    }.
lint-empty-list = { $path } est vide.
lint-unknown-check = Type de vérification inconnu `{ $kind }`.
lint-bad-path = Le chemin « { $path } » doit être relatif à ~ et y rester.
lint-tutor-in-solution = « { $line } » est une commande du tuteur ; une solution ne contient que ce qu'un élève tape pour réussir l'étape (commandes Docker et shell, réponses aux questions de Docker).
lint-bad-command = Docker refuse la ligne de solution « { $line } » : { $error }
lint-not-in-catalog = Le catalogue hors ligne n'a pas d'image { $reference } : l'état de départ ne peut pas être préparé.
lint-catalog-tags = Ses tags pour { $name } : { $tags }.
lint-empty-step-id = { $path } : l'identifiant de l'étape est vide.
lint-duplicate-step = L'identifiant d'étape « { $id } » est déjà utilisé (ligne { $first }) ; chaque étape doit avoir le sien.
lint-format-version = format_version { $found } n'est pas pris en charge : ce docklab lit la version { $supported }.
lint-bad-lab-id = L'identifiant d'atelier « { $id } » ne doit contenir que des minuscules, des chiffres et des '-'.
lint-schema = L'atelier ne se charge pas : { $error }
lint-duplicate-lab = L'identifiant d'atelier « { $id } » est aussi celui de { $other } ; le dernier chargé remplace l'autre.
lint-unreadable = Impossible de lire { $path } : { $error }
lab-too-large = { $path } : ce fichier d'atelier est trop gros ({ $size } octets ; un fichier d'atelier fait au plus { $limit } octets), il n'a donc pas été lu.
lab-not-regular = { $path } : ce n'est pas un fichier ordinaire mais { $kind ->
        [directory] un répertoire
        [fifo] un tube nommé (FIFO)
        [socket] une socket
        [character-device] un périphérique en mode caractère
        [block-device] un périphérique en mode bloc
       *[other] un fichier spécial
    }, il a donc été ignoré sans être lu.
lint-no-files = { $path } : aucun fichier d'atelier (*.toml) ici.
lint-summary = { $files } { $files ->
        [one] fichier d'atelier vérifié
       *[other] fichiers d'atelier vérifiés
    } : { $errors ->
        [0] { $warnings ->
            [0] aucun problème
            [one] 1 avertissement
           *[other] { $warnings } avertissements
        }
        [one] 1 erreur{ $warnings ->
            [0] {""}
            [one] , 1 avertissement
           *[other] , { $warnings } avertissements
        }
       *[other] { $errors } erreurs{ $warnings ->
            [0] {""}
            [one] , 1 avertissement
           *[other] , { $warnings } avertissements
        }
    }.
test-lab = Atelier { $id } ({ $file })
test-step-ok = { "  " }✔ étape { $n } { $id } : échoue avant sa solution, réussit après.
test-step-vacuous = { "  " }✘ étape { $n } { $id } : ses vérifications réussissent déjà avant sa solution ; elles ne peuvent donc pas dire si l'élève a fait l'étape.
test-step-not-met = { "  " }✘ étape { $n } { $id } : ses vérifications échouent encore après sa solution :
test-step-early = { "  " }✘ étape { $n } { $id } : l'étape a réussi avant la dernière ligne de sa solution ; « { $line } » et les lignes suivantes s'exécuteraient à l'étape suivante.
test-step-unsupported = { "  " }✘ étape { $n } { $id } : le simulateur ne sait pas encore exécuter « { $line } » (testez cet atelier avec --engine docker --yes).
test-step-not-run = { "  " }· étape { $n } { $id } : non testée (une étape précédente a échoué).
test-line-failed = { "      " }$ { $line } → code de sortie { $code }{ $error ->
        [none] {""}
       *[other] {" "}: { $error }
    }
test-lab-passed = { "  " }L'atelier { $id } peut être réussi : { $steps } { $steps ->
        [one] étape testée
       *[other] étapes testées
    }.
test-lab-failed = { "  " }L'atelier { $id } échoue : { $failed } { $failed ->
        [one] problème
       *[other] problèmes
    }.
test-summary = { $failed ->
        [0] { $labs } { $labs ->
            [one] atelier testé : il peut être réussi.
           *[other] ateliers testés : tous peuvent être réussis.
        }
       *[other] { $labs } { $labs ->
            [one] atelier testé
           *[other] ateliers testés
        } : { $failed } en échec.
    }
test-real-needs-yes = lab test --engine docker télécharge des images, leur ajoute des tags et en supprime sur votre vrai moteur Docker. Ajoutez --yes pour le lancer quand même.
new-written = { $path } est écrit. Modifiez-le, puis : docklab lab lint { $path } et docklab lab test { $path }
new-exists = { $path } existe déjà ; docklab lab new n'écrase pas un fichier.
new-bad-id = L'identifiant d'atelier « { $id } » ne doit contenir que des minuscules, des chiffres et des '-'.
labs-line = { $id } — { $title } ({ $steps } { $steps ->
        [one] étape
       *[other] étapes
    }) { $origin ->
        [builtin] [intégré]
       *[other] [{ $origin }]
    }
labs-dir = { $files ->
        [-1] Ateliers cherchés dans { $dir } (ce répertoire n'existe pas).
        [0] Ateliers cherchés dans { $dir } (aucun fichier).
        [one] Ateliers cherchés dans { $dir } (1 fichier).
       *[other] Ateliers cherchés dans { $dir } ({ $files } fichiers).
    }

## Les commandes de l'état de départ (start.commands, utilisées par l'entraînement généré).
lint-start-not-docker = La commande de départ « { $line } » n'est pas une commande Docker : start.commands ne contient que des lignes `docker …` (les fichiers vont dans [[start.file]]).
lint-start-bad-command = Docker refuse la commande de départ « { $line } » : { $error }
generate-written = { $path } est écrit : l'entraînement { $id }. À vérifier : docklab lab lint { $path } et docklab lab test { $path } ; les élèves le mettent dans un répertoire d'ateliers (docklab labs dit où) et tapent commencer { $id }.
# lab lint : la typographie française des textes français d'un atelier (avertissements), et lab lint --fix
lint-french-typography = { $path } : typographie française : { $fault ->
        [ordinary-space] `{ $char }` demande avant lui une espace insécable (U+202F, ou U+00A0), pas une espace ordinaire.
        [no-space] `{ $char }` demande avant lui une espace insécable (U+202F, ou U+00A0).
        [quote] les guillemets sont «  » avec des espaces insécables à l'intérieur, pas `{ $char }`.
        [guillemet] `{ $char }` demande une espace insécable du côté du texte (U+202F, ou U+00A0).
       *[etiquette] dites `tag`, pas `étiquette` (qui désigne un LABEL).
    }
lint-fixed = { $path } : typographie française corrigée dans { $count } { $count ->
        [one] texte
       *[other] textes
    }.

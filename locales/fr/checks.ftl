image-present-fail = L'image { $reference } est absente.
image-present-holds = L'image { $reference } est présente.
image-absent-fail = L'image { $reference } est toujours présente.
image-absent-holds = L'image { $reference } n'est plus là.
same-image-fail = { $a } ({ $a_id }) et { $b } ({ $b_id }) sont deux images différentes ; elles devraient avoir le même IMAGE ID.
same-image-holds = { $a } et { $b } désignent la même image ({ $id }).
count-fail = { $what ->
        [dangling] Il y a { $actual } { $actual ->
            [one] image en suspens
           *[other] images en suspens
        }
        [layers] { $subject } a { $actual } { $actual ->
            [one] couche
           *[other] couches
        }
        [shared] { $subject } ont { $actual } { $actual ->
            [one] couche commune
           *[other] couches communes
        }
       *[images] Il y a { $actual } { $actual ->
            [one] image
           *[other] images
        }
    } ; attendu : { $op ->
        [ge] au moins { $expected }
        [le] au plus { $expected }
       *[eq] exactement { $expected }
    }.
count-holds = { $what ->
        [dangling] { $actual } { $actual ->
            [one] image en suspens
           *[other] images en suspens
        }
        [layers] { $subject } a { $actual } { $actual ->
            [one] couche
           *[other] couches
        }
        [shared] { $subject } ont { $actual } { $actual ->
            [one] couche commune
           *[other] couches communes
        }
       *[images] { $actual } { $actual ->
            [one] image
           *[other] images
        }
    }.
config-fail = Le champ { $field } de { $image } vaut { $actual } ; attendu : { $expected }.
config-holds = Le champ { $field } de { $image } contient { $expected }.
base-image-fail = { $image } n'est pas construite sur { $base } : ses couches ne commencent pas par celles de { $base }.
base-image-holds = { $image } est construite sur { $base }.
container-fail = Aucun conteneur { $running ->
        [yes] ne tourne
       *[no] n'a été créé
    } à partir de { $image }.
container-holds = Le conteneur { $name } { $running ->
        [yes] tourne à partir de
       *[no] a été créé à partir de
    } { $image }.
file-exists-fail = Le fichier { $path } n'existe pas.
file-exists-holds = Le fichier { $path } existe.
file-contains-fail = { $path } ne contient pas « { $text } ».
file-contains-holds = { $path } contient « { $text } ».
command-fail = { $status ->
        [failure] La commande { $command } n'a pas encore échoué
       *[other] La commande { $command } n'a pas encore été exécutée avec succès
    } { $scope ->
        [lab] dans cet atelier
        [last] comme dernière commande
       *[step] pendant cette étape
    }{ $attempt ->
        [none] .
        [cancelled] ; dernière tentative : { $seen }, annulée à sa question [y/N].
       *[other] ; dernière tentative : { $seen } (code de sortie { $code }).
    }
command-holds = La commande { $command } a été exécutée.
build-cache-fail = Le cache de construction contient encore { $count } { $count ->
        [one] entrée
       *[other] entrées
    }.
build-cache-holds = Le cache de construction est vide.
not-fail = Ceci ne devrait pas être le cas : { $inner }
any-fail = Aucune de ces conditions n'est remplie :

## Ce qui retient une image en suspens (le piège de prune) : dit sous un compte d'images en suspens qui échoue.
dangling-held = L'image en suspens { $image } reste : le conteneur { $container } ({ $running ->
        [yes] en cours d'exécution
       *[no] arrêté
    }) l'utilise, et prune ne supprime jamais une image qu'un conteneur utilise. { $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container } la libère ; relancez ensuite prune.

## Les vérifications de l'entraînement généré (lab generate) : taille totale des images, tags exacts.
images-size-fail = Les images occupent { $size } (docker system df) ; attendu : { $op ->
        [ge] au moins { $expected } MB
        [le] au plus { $expected } MB
       *[eq] { $expected } MB
    }.
images-size-holds = Les images occupent { $size }.
tags-exactly-fail = Les tags ne sont pas ceux attendus : { $extras ->
        [0] aucun en trop
        [one] un en trop ({ $extra })
       *[other] { $extras } en trop ({ $extra })
    }, { $missings ->
        [0] aucun ne manque
        [one] un manque ({ $missing })
       *[other] { $missings } manquent ({ $missing })
    }.
tags-exactly-holds = Les tags sont exactement : { $tags }.
# ---- Enseigner seulement le vrai (issue #15) : un compte d'images nomme les images trouvées ----
count-images-left = { $count ->
        [one] L'image présente
       *[other] Les images présentes
    } : { $images }.

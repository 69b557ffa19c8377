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
explain-refused-in-use = Refusé : le conteneur { $container } utilise l'image { $image }. Supprimez d'abord le conteneur (docker rm -f { $container }). Avec -f, docker retirerait seulement le tag : l'image resterait, en suspens, pour le conteneur.
explain-refused-running = Refusé : le conteneur { $container }, en cours d'exécution, utilise l'image { $image }. Arrêtez puis supprimez d'abord le conteneur (docker stop, docker rm) ; même -f ne peut pas supprimer une image utilisée par un conteneur en cours.
explain-refused-stopped = Refusé : le conteneur arrêté { $container } utilise encore l'image { $image }. Supprimez-le d'abord (docker rm { $container }) ou forcez avec -f.
explain-refused-tags = Refusé : plusieurs tags désignent l'image { $image }, la supprimer par son ID est donc ambigu. Retirez les tags un par un, ou forcez avec -f.
explain-refused-children = Refusé : d'autres images sont construites sur l'image { $image } (ses enfants) et en ont besoin.

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
    } (fichiers, commandes, configuration…) : tapez « vérifier » pour voir ce qui manque encore.
goal-legend = { $yes } déjà comme le veut l'objectif, { $no } pas encore (une image qu'aucune vérification ne nomme peut rester ou partir, sauf si un nombre demandé l'interdit).
goal-no-images = Les vérifications de l'étape { $n } ne décrivent ni images ni tags (elles portent sur des fichiers, des commandes ou une configuration) : il n'y a pas d'objectif à dessiner. tapez « étape » pour voir quoi faire, « vérifier » pour voir ce qui manque encore.

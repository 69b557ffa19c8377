# The layer picture (`layers`) and the account of what each Docker command changed.
layers-summary = { $images } { $images ->
        [one] image
       *[other] images
    }, { $layers } { $layers ->
        [one] layer
       *[other] layers
    } ({ $shared } shared between images)
layers-disk =
    On disk, each layer counted once (as docker system df): { $size }
    Sum of the image sizes (shared layers counted again): { $naive }
layers-dangling = dangling
layers-running = { $n } { $n ->
        [one] container running
       *[other] containers running
    }
layers-stopped = { $n } { $n ->
        [one] container stopped
       *[other] containers stopped
    }
layers-empty = No images: the store is empty.
layers-no-image = No image is named { $image }.
explain-on = After each Docker command, docklab will explain what changed in the store.
explain-off = docklab will no longer explain what each Docker command changed.
explain-usage = Usage: explain on|off (now { $state }).
explain-image-added = New image { $image } ({ $size }): { $added } { $added ->
        [one] layer added
       *[other] layers added
    }{ $reused ->
        [0] {""}
        [one] , 1 layer already there (shared with another image)
       *[other] , { $reused } layers already there (shared with other images)
    }.
explain-tag-added = The tag { $tag } now names image { $image }: no layer was copied, a tag is only a label{ $others ->
        [0] {""}
        [one] {""} (this image now has 2 tags)
       *[other] {""} (this image now has { $others } other tags)
    }.
explain-tag-moved = The tag { $tag } moved from image { $from } to image { $to }.
explain-now-dangling = Image { $image } has no tag left: it is now dangling (<none>:<none>); docker image prune removes such images.
explain-untagged = Only the tag { $tag } went away: image { $image } is still there with its layers ({ $remaining ->
        [0] no tag left
        [one] 1 tag left
       *[other] { $remaining } tags left
    }). Nothing was freed.
explain-image-deleted = Image { $image } was deleted.
explain-image-deleted-tagged = Image { $image } ({ $tags }) was deleted.
explain-layers-freed = { $count } { $count ->
        [one] layer was
       *[other] layers were
    } freed, { $size } reclaimed: no image used { $count ->
        [one] it
       *[other] them
    } any more.
explain-layers-kept = { $count } { $count ->
        [one] layer was
       *[other] layers were
    } kept ({ $size }) because { $images } still { $users ->
        [one] uses
       *[other] use
    } { $count ->
        [one] it
       *[other] them
    }.
explain-layers-kept-by-cache = { $count } { $count ->
        [one] layer was
       *[other] layers were
    } kept ({ $size }): no image uses { $count ->
        [one] it
       *[other] them
    }, but BuildKit's build cache still holds { $count ->
        [one] it
       *[other] them
    } (docker builder prune frees what no image shares).
explain-container-running = Container { $name } was created from { $image } and is running.
explain-container-exited = Container { $name } was created from { $image }; its program finished, so it has exited (it still exists: docker ps -a).
explain-container-stopped = Container { $name } was stopped.
explain-container-started = Container { $name } was started.
explain-container-removed = Container { $name } was removed.
explain-cache-cleared = The build cache was emptied ({ $count } { $count ->
        [one] record
       *[other] records
    }, { $size }).
explain-refused-in-use = Refused: container { $container } uses image { $image }. Remove the container first (docker rm -f { $container }). With -f, docker would only remove the tag: the image would stay, dangling, for the container.
explain-refused-running = Refused: the running container { $container } uses image { $image }. Stop and remove the container first (docker stop, docker rm); even -f cannot delete an image a running container uses.
explain-refused-stopped = Refused: the stopped container { $container } still uses image { $image }. Remove it first (docker rm { $container }), or force with -f.
explain-refused-tags = Refused: several tags name image { $image }, so removing it by ID is ambiguous. Remove the tags one by one, or force with -f.
explain-refused-children = Refused: other images are built on image { $image } (its children) and need it.

## The goal picture (`goal`): the end state of the current step beside the store now.
goal-heading = Goal of step { $n }/{ $total }: { $title }
goal-now = Now
goal-target = Goal
goal-absent = absent
goal-count = { $dangling ->
        [yes] Dangling images
       *[no] Images
    }: { $now } now; the goal is { $bound ->
        [equals] exactly
        [at-least] at least
       *[at-most] at most
    } { $n }.
goal-container = Containers from { $image }: the goal is { $want ->
        [running] at least one running
        [exists] at least one, running or stopped
        [none-running] none running
       *[none] none at all
    }; now { $count ->
        [0] none
       *[other] { $names }
    }.
goal-container-state = { $running ->
        [yes] running
       *[no] stopped
    }
goal-other = { $n ->
        [one] One other check is
       *[other] { $n } other checks are
    } not drawn (files, commands, configuration…): type check to see what is still missing.
goal-legend = { $yes } already as the goal wants, { $no } not yet (an image no check names may stay or go, unless a count forbids it).
goal-no-images = The checks of step { $n } do not describe images or tags (they are about files, commands or configuration), so there is no goal picture to draw: type step to see what to do, check to see what is still missing.

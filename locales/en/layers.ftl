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
explain-tag-added = The tag { $tag } now names image { $image }: no layer was copied, a tag is only a name{ $others ->
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
explain-refused-in-use = Refused: the running container { $container } uses image { $image }. Remove the container first (docker rm -f { $container }), then docker rmi { $image }. With -f now, docker would only remove the tag: the image would stay on disk, dangling (<none>), because { $container } runs it.
explain-refused-running = Refused: the running container { $container } uses image { $image }. Stop and remove the container first (docker rm -f { $container }); even -f cannot delete an image a running container uses.
explain-refused-stopped = Refused: the stopped container { $container } still uses image { $image }. Remove it first (docker rm { $container }), or force with -f: the image is then deleted, but its layers stay on disk for { $container } until you remove it.
explain-refused-tags = Refused: several tags name image { $image }, so removing it by ID is ambiguous. Remove the tags one by one (docker rmi TAG), or force with -f: docker then removes all its tags and deletes the image.
explain-refused-children = Refused: other images are built on image { $image } (its children) and need it. Even -f cannot delete it: remove the images built on it first (docker images -a shows them).

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

# ---- Teach only what is true (issue #15): explanations derived from the engine's real result ----
explain-now-dangling-used = Image { $image } has no tag left: it is now dangling (<none>:<none>), but it stays on disk because the { $running ->
        [yes] running
       *[no] stopped
    } container { $container } uses it; docker image prune keeps an image a container uses. Remove the container first ({ $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container }), then docker image prune removes it.
explain-layers-kept-by-container = { $count } { $count ->
        [one] layer stays
       *[other] layers stay
    } on disk ({ $size }): { $users ->
        [one] the container
       *[other] the containers
    } { $containers } still { $users ->
        [one] stands
       *[other] stand
    } on { $count ->
        [one] it
       *[other] them
    } (a container keeps its image's layers even once the image is deleted). docker rm frees { $count ->
        [one] it
       *[other] them
    }.
explain-refused-in-use-stopped = Refused: the stopped container { $container } uses image { $image }. Remove the container first (docker rm { $container }), then docker rmi { $image }. With -f, docker would remove the tag and delete the image, but its layers would stay on disk for { $container } until you remove it.
explain-prune-spared = Image { $image } was not removed: the { $running ->
        [yes] running
       *[no] stopped
    } container { $container } uses it, and prune never removes an image a container uses. Remove the container first ({ $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container }).
explain-prune-nothing = No image was removed: { $all ->
        [yes] there was no image that no container uses.
       *[no] there was no dangling image (without a tag, unused by any container). docker image prune -a also removes tagged images that no container uses.
    }
explain-prompt-wants-y = Docker did nothing: its [y/N] question accepts only y (for yes, in English); your answer “{ $answer }” counted as no. Run the command again and answer y, or add -f to skip the question.
explain-build-no-dockerfile = { $folder ->
        [no] There is no folder { $dir } here
       *[yes] { $here ->
            [yes] There is no Dockerfile in the current folder (.)
           *[no] There is no Dockerfile in { $dir }
        }
    }: docker build reads the Dockerfile in the folder you give it (the build context). Go to the folder that holds it (cd), or give that folder's path: docker build -t NAME FOLDER.
explain-build-no-context = docker build needs the build context: the folder sent to the builder, usually . (the current folder), at the end of the line: docker build -t NAME .
explain-build-copy-missing = COPY found no { $source } in the build context: the file must be in the folder given to docker build (next to the Dockerfile), spelled exactly the same. Create it there, or build from the folder that holds it.
explain-build-uppercase = Image names must be lowercase: Docker refuses { $name }. Use { $lower } instead: docker build -t { $lower } .
explain-build-no-tag = The image was built but has no name: without -t it shows as <none> in docker images (ID { $image }). Name it with docker tag { $image } NAME, or build again with -t NAME.
layers-intermediate = intermediate image of the legacy builder, not dangling
explain-container-freed-layers = The container { $name } stood on image { $image }, deleted earlier: the layers only it still kept are freed with it.
explain-intermediate-added = Intermediate image { $image } of the legacy builder (one per instruction, without a tag; images are built on it, so it is not dangling): { $added } { $added ->
        [one] layer added
       *[other] layers added
    }{ $reused ->
        [0] {""}
       *[other] , { $reused } already there
    }.
explain-dangling-unused = The dangling image { $image } stays on disk, but no container uses it any more: docker image prune removes it now.

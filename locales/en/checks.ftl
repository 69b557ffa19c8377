image-present-fail = The image { $reference } is not there.
image-present-holds = The image { $reference } is there.
image-absent-fail = The image { $reference } is still there.
image-absent-holds = The image { $reference } is gone.
same-image-fail = { $a } ({ $a_id }) and { $b } ({ $b_id }) are two different images; they should share one image ID.
same-image-holds = { $a } and { $b } name the same image ({ $id }).
count-fail = { $what ->
        [dangling] There { $actual ->
            [one] is 1 dangling image
           *[other] are { $actual } dangling images
        }
        [layers] { $subject } has { $actual } { $actual ->
            [one] layer
           *[other] layers
        }
        [shared] { $subject } share { $actual } { $actual ->
            [one] layer
           *[other] layers
        }
       *[images] There { $actual ->
            [one] is 1 image
           *[other] are { $actual } images
        }
    }; expected { $op ->
        [ge] at least { $expected }
        [le] at most { $expected }
       *[eq] exactly { $expected }
    }.
count-holds = { $what ->
        [dangling] { $actual } dangling { $actual ->
            [one] image
           *[other] images
        }
        [layers] { $subject } has { $actual } { $actual ->
            [one] layer
           *[other] layers
        }
        [shared] { $subject } share { $actual } { $actual ->
            [one] layer
           *[other] layers
        }
       *[images] { $actual } { $actual ->
            [one] image
           *[other] images
        }
    }.
config-fail = The { $field } of { $image } is { $actual }; expected { $expected }.
config-holds = The { $field } of { $image } has { $expected }.
base-image-fail = { $image } is not built on { $base }: its layers do not start with those of { $base }.
base-image-holds = { $image } is built on { $base }.
container-fail = No { $running ->
        [yes] running container
       *[no] container
    } was created from { $image }.
container-holds = The container { $name } { $running ->
        [yes] runs
       *[no] was created from
    } { $image }.
file-exists-fail = The file { $path } does not exist.
file-exists-holds = The file { $path } exists.
file-contains-fail = { $path } does not contain “{ $text }”.
file-contains-holds = { $path } contains “{ $text }”.
command-fail = { $status ->
        [failure] The command { $command } has not failed yet
       *[other] The command { $command } has not been run successfully
    } { $scope ->
        [lab] in this lab
        [last] as the last command
       *[step] during this step
    }{ $attempt ->
        [none] .
        [cancelled] ; last attempt: { $seen }, cancelled at its [y/N] question.
       *[other] ; last attempt: { $seen } (exit code { $code }).
    }
command-holds = The command { $command } was run.
build-cache-fail = The build cache still holds { $count } { $count ->
        [one] entry
       *[other] entries
    }.
build-cache-holds = The build cache is empty.
not-fail = This should not be the case: { $inner }
any-fail = None of these holds:

## What keeps a dangling image (the prune trap): named under a failed count of dangling images.
dangling-held = The dangling image { $image } stays: the { $running ->
        [yes] running
       *[no] stopped
    } container { $container } uses it, and prune never removes an image a container uses. { $running ->
        [yes] docker rm -f
       *[no] docker rm
    } { $container } frees it; then prune again.

## The checks of generated practice (lab generate): total image size, exact tags.
images-size-fail = The images take { $size } (docker system df); expected { $op ->
        [ge] at least { $expected } MB
        [le] at most { $expected } MB
       *[eq] { $expected } MB
    }.
images-size-holds = The images take { $size }.
tags-exactly-fail = The tags are not the expected ones: { $extras ->
        [0] none too many
        [one] one too many ({ $extra })
       *[other] { $extras } too many ({ $extra })
    }, { $missings ->
        [0] none missing
        [one] one missing ({ $missing })
       *[other] { $missings } missing ({ $missing })
    }.
tags-exactly-holds = The tags are exactly: { $tags }.
# ---- Teach only what is true (issue #15): an image count names the images it found ----
count-images-left = { $count ->
        [one] The image there
       *[other] The images there
    }: { $images }.

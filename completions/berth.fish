# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_berth_global_optspecs
    string join \n root= runroot= storage-driver= storage-opt= log-level= h/help V/version
end

function __fish_berth_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_berth_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_berth_using_subcommand
    set -l cmd (__fish_berth_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c berth -n "__fish_berth_needs_command" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_needs_command" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_needs_command" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_needs_command" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_needs_command" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_needs_command" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_needs_command" -s V -l version -d 'Print version'
complete -c berth -n "__fish_berth_needs_command" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_needs_command" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_needs_command" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_needs_command" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_needs_command" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_needs_command" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "rmi" -d 'Remove images'
complete -c berth -n "__fish_berth_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "search" -d 'Search a registry for images'
complete -c berth -n "__fish_berth_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "logout" -d 'Log out of a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_needs_command" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_needs_command" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_needs_command" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "exec" -d 'Run a command in a running container'
complete -c berth -n "__fish_berth_needs_command" -f -a "top" -d 'Show the processes of a running container'
complete -c berth -n "__fish_berth_needs_command" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "port" -d 'List a container\'s published ports'
complete -c berth -n "__fish_berth_needs_command" -f -a "network" -d 'Manage networks'
complete -c berth -n "__fish_berth_needs_command" -f -a "events" -d 'Show what happened to containers, as it happens'
complete -c berth -n "__fish_berth_needs_command" -f -a "version" -d 'Show the berth version'
complete -c berth -n "__fish_berth_needs_command" -f -a "info" -d 'Show system-wide information'
complete -c berth -n "__fish_berth_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "list" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "rm" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "remove" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "exists" -d 'Check whether an image exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "pull" -d 'Pull an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "push" -d 'Push an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists pull push help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output: dangling=true|false, label=KEY[=VALUE], reference=PATTERN, before=IMAGE, since=IMAGE' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (berth keeps no intermediate images, so this lists the same set)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output: dangling=true|false, label=KEY[=VALUE], reference=PATTERN, before=IMAGE, since=IMAGE' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (berth keeps no intermediate images, so this lists the same set)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from a docker-archive or oci-archive file instead of stdin' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Archive format: docker-archive or oci-archive' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Set the commit message of the image\'s history' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Suppress the output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove the image even if it has several names'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s f -l force -d 'Remove the image even if it has several names'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s a -l all -d 'Remove all images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output with a Go template, or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l type -d 'The kind of object: only "image" here (`berth inspect` also finds containers)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Print sizes and dates in human-readable form' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'The platform to pick from a multi-platform image: OS/ARCH[/VARIANT] (default: the host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'The architecture to pick instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l os -d 'The OS to pick instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'The architecture variant to pick (v7, v8, …)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l retry -d 'Retry this many times after a network failure (never after a digest mismatch)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l retry-delay -d 'The first wait between retries, doubled each time: 500ms, 2s, 1m' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s a -l all-tags -d 'Pull every tag of the repository'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image id'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l compression-format -d 'Recompress layers with this format: gzip or zstd (changes the digests)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed manifest to FILE' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l retry -d 'Retry this many times after a network failure' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l retry-delay -d 'The first wait between retries, doubled each time: 500ms, 2s, 1m' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print nothing but errors'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Check whether an image exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand images" -s f -l filter -d 'Filter output: dangling=true|false, label=KEY[=VALUE], reference=PATTERN, before=IMAGE, since=IMAGE' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand images" -s a -l all -d 'Show all images (berth keeps no intermediate images, so this lists the same set)'
complete -c berth -n "__fish_berth_using_subcommand images" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand images" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand images" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand images" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand load" -s i -l input -d 'Read from a docker-archive or oci-archive file instead of stdin' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand load" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand load" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l format -d 'Archive format: docker-archive or oci-archive' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand import" -s c -l change -d 'Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL' -r
complete -c berth -n "__fish_berth_using_subcommand import" -s m -l message -d 'Set the commit message of the image\'s history' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand import" -s q -l quiet -d 'Suppress the output'
complete -c berth -n "__fish_berth_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand tag" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand tag" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand tag" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand untag" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand untag" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand untag" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand untag" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand untag" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand untag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand rmi" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -s f -l force -d 'Remove the image even if it has several names'
complete -c berth -n "__fish_berth_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c berth -n "__fish_berth_using_subcommand rmi" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand history" -s H -l human -d 'Print sizes and dates in human-readable form' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand history" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand inspect" -s f -l format -d 'Format output with a Go template, or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l type -d 'Only objects of this kind: container or image' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -s s -l size -d 'Add the container\'s sizes (SizeRw, SizeRootFs)'
complete -c berth -n "__fish_berth_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand pull" -l platform -d 'The platform to pick from a multi-platform image: OS/ARCH[/VARIANT] (default: the host\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l arch -d 'The architecture to pick instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l os -d 'The OS to pick instead of the host\'s' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l variant -d 'The architecture variant to pick (v7, v8, …)' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l retry -d 'Retry this many times after a network failure (never after a digest mismatch)' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l retry-delay -d 'The first wait between retries, doubled each time: 500ms, 2s, 1m' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand pull" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -s a -l all-tags -d 'Pull every tag of the repository'
complete -c berth -n "__fish_berth_using_subcommand pull" -s q -l quiet -d 'Print only the image id'
complete -c berth -n "__fish_berth_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand push" -l compression-format -d 'Recompress layers with this format: gzip or zstd (changes the digests)' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l digestfile -d 'Write the digest of the pushed manifest to FILE' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l retry -d 'Retry this many times after a network failure' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l retry-delay -d 'The first wait between retries, doubled each time: 500ms, 2s, 1m' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand push" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand push" -s q -l quiet -d 'Print nothing but errors'
complete -c berth -n "__fish_berth_using_subcommand push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand search" -l limit -d 'Show at most this many results' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l format -d 'Format the output with a Go template, \'table …\' or \'json\' (fields: .Name, .Description, .Stars, .Official, .Automated, .Tag)' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand search" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand search" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand search" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand search" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand search" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand search" -l list-tags -d 'List the tags of the repository TERM names'
complete -c berth -n "__fish_berth_using_subcommand search" -l no-trunc -d 'Do not truncate descriptions'
complete -c berth -n "__fish_berth_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand login" -s u -l username -d 'The user name' -r
complete -c berth -n "__fish_berth_using_subcommand login" -s p -l password -d 'The password (visible to other users in the process list: prefer --password-stdin)' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l authfile -d 'Path of the auth file to read credentials from (default: $REGISTRY_AUTH_FILE, berth\'s auth.json, $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json)' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l creds -d 'Credentials USER:PASSWORD to use instead of the auth files' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l tls-verify -d 'Require https with verified certificates (--tls-verify=false allows http and unverified https; localhost registries may use http regardless)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand login" -l cert-dir -d 'A directory with CA certificates (*.crt) and a client certificate (*.cert, *.key) for the registry, looked in before the certs.d directories' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c berth -n "__fish_berth_using_subcommand login" -l get-login -d 'Print the user name stored for the registry and exit'
complete -c berth -n "__fish_berth_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand logout" -l authfile -d 'Path of the auth file to edit' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand logout" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand logout" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand logout" -s a -l all -d 'Remove the credentials of every registry'
complete -c berth -n "__fish_berth_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "list" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "exec" -d 'Run a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "top" -d 'Show the processes of a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "inspect" -d 'Show details of containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "exists" -d 'Exit 0 if a container exists, 1 if not'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "port" -d 'List a container\'s published ports'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run exec top inspect rename prune exists port help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Name the container (unique)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set an environment variable: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container (created if missing)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l group-add -d 'Add supplementary groups (names from the image\'s /etc/group, or numbers)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container hostname (default: the short container id)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Override the image\'s entrypoint ("" clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount a host path: SRC:DST, optionally with :ro or :rw' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs at PATH, optionally with mount options after a colon (PATH:size=64m)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network -d 'Network mode: none (a private network namespace with lo up), host, pasta (a private namespace with the host\'s addresses, egress and -p ports through pasta), or a network\'s name (as root: a veth on the network\'s bridge; bridge is the default network)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'When to pull the image: missing (only when absent), always, never (use the local image), newer (pull, but keep the local image when the registry cannot be reached)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish container ports on the host: IP:HOST_PORT:CONTAINER_PORT/PROTO, where IP, HOST_PORT (then a free one is picked) and /PROTO (tcp, udp) may be left out; ports may be ranges such as 8080-8081:80-81 (needs --network pasta, or a network as root)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ip -d 'The container\'s IPv4 address on its network (--network NAME, as root)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set a label on the container: KEY=VALUE, or KEY for an empty value' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l label-file -d 'Read labels from FILE: one KEY=VALUE per line, # comments' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help (-h is --hostname, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep stdin open (without it the container\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-terminal (the container\'s controlling terminal and /dev/console)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init as PID 1 that forwards signals to the command and reaps zombies (berth itself, like Docker\'s tini: no binary is added to the container)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach to the container\'s output and exit with its exit code (without it the container runs in the background under its monitor)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach stdin (the container must have been created with -i)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l cidfile -d 'Remove the container whose id FILE holds (repeatable)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Kill running containers first (SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove every container (running ones only with --force)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Succeed for containers that do not exist'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Also remove the container\'s anonymous volumes (berth creates none yet, so there is nothing more to remove)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l depend -d 'Also remove the containers that depend on it (none can yet: berth has no --network container: or --volumes-from)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Only the last N lines ("all" for every line)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Only output since TIME (RFC 3339, Unix time, or a duration such as 10m)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Only output until TIME' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing new output until the container stops'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Prefix each line with its time (RFC 3339, nanoseconds)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output: id=PREFIX, name=NAME|REGEX, label=KEY[=VALUE], status=STATE (created, running, exited, paused, restarting, removing, dead), exited=CODE, ancestor=IMAGE, before=CONTAINER, since=CONTAINER' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Show the N last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output: id=PREFIX, name=NAME|REGEX, label=KEY[=VALUE], status=STATE (created, running, exited, paused, restarting, removing, dead), exited=CODE, ancestor=IMAGE, before=CONTAINER, since=CONTAINER' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Show the N last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter output: id=PREFIX, name=NAME|REGEX, label=KEY[=VALUE], status=STATE (created, running, exited, paused, restarting, removing, dead), exited=CODE, ancestor=IMAGE, before=CONTAINER, since=CONTAINER' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s n -l last -d 'Show the N last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Name the container (unique)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set an environment variable: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container (created if missing)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l group-add -d 'Add supplementary groups (names from the image\'s /etc/group, or numbers)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container hostname (default: the short container id)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Override the image\'s entrypoint ("" clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount a host path: SRC:DST, optionally with :ro or :rw' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs at PATH, optionally with mount options after a colon (PATH:size=64m)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network -d 'Network mode: none (a private network namespace with lo up), host, pasta (a private namespace with the host\'s addresses, egress and -p ports through pasta), or a network\'s name (as root: a veth on the network\'s bridge; bridge is the default network)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'When to pull the image: missing (only when absent), always, never (use the local image), newer (pull, but keep the local image when the registry cannot be reached)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish container ports on the host: IP:HOST_PORT:CONTAINER_PORT/PROTO, where IP, HOST_PORT (then a free one is picked) and /PROTO (tcp, udp) may be left out; ports may be ranges such as 8080-8081:80-81 (needs --network pasta, or a network as root)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ip -d 'The container\'s IPv4 address on its network (--network NAME, as root)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set a label on the container: KEY=VALUE, or KEY for an empty value' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l label-file -d 'Read labels from FILE: one KEY=VALUE per line, # comments' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run in the background under a monitor and print the container id'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help (-h is --hostname, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep stdin open (without it the container\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-terminal (the container\'s controlling terminal and /dev/console)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init as PID 1 that forwards signals to the command and reaps zombies (berth itself, like Docker\'s tini: no binary is added to the container)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID, from the container\'s /etc/passwd and /etc/group (default: the container\'s user)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container, which must exist (default: the container\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set an environment variable over the container\'s: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run the command in the background and return at once, printing nothing (its output is discarded; not with -i or -t)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Pass stdin to the command (without it the command\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-terminal for the command, from the container\'s own devpts'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give the command every capability (the container\'s seccomp filter still applies, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output with a Go template, or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Add the container\'s sizes (SizeRw, SizeRootFs)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l filter -d 'Only containers matching: until=TIME (created before), label=KEY[=VALUE], label!=KEY[=VALUE]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "top" -d 'Show the processes of a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show details of containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Exit 0 if a container exists, 1 if not'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "port" -d 'List a container\'s published ports'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand run" -l name -d 'Name the container (unique)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s e -l env -d 'Set an environment variable: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -s w -l workdir -d 'Working directory inside the container (created if missing)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l group-add -d 'Add supplementary groups (names from the image\'s /etc/group, or numbers)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s h -l hostname -d 'Container hostname (default: the short container id)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l entrypoint -d 'Override the image\'s entrypoint ("" clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s v -l volume -d 'Bind mount a host path: SRC:DST, optionally with :ro or :rw' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l tmpfs -d 'Mount a tmpfs at PATH, optionally with mount options after a colon (PATH:size=64m)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l network -d 'Network mode: none (a private network namespace with lo up), host, pasta (a private namespace with the host\'s addresses, egress and -p ports through pasta), or a network\'s name (as root: a veth on the network\'s bridge; bridge is the default network)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pull -d 'When to pull the image: missing (only when absent), always, never (use the local image), newer (pull, but keep the local image when the registry cannot be reached)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s p -l publish -d 'Publish container ports on the host: IP:HOST_PORT:CONTAINER_PORT/PROTO, where IP, HOST_PORT (then a free one is picked) and /PROTO (tcp, udp) may be left out; ports may be ranges such as 8080-8081:80-81 (needs --network pasta, or a network as root)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ip -d 'The container\'s IPv4 address on its network (--network NAME, as root)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s l -l label -d 'Set a label on the container: KEY=VALUE, or KEY for an empty value' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l label-file -d 'Read labels from FILE: one KEY=VALUE per line, # comments' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s d -l detach -d 'Run in the background under a monitor and print the container id'
complete -c berth -n "__fish_berth_using_subcommand run" -l help -d 'Print help (-h is --hostname, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand run" -l rm -d 'Remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand run" -s i -l interactive -d 'Keep stdin open (without it the container\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-terminal (the container\'s controlling terminal and /dev/console)'
complete -c berth -n "__fish_berth_using_subcommand run" -l init -d 'Run an init as PID 1 that forwards signals to the command and reaps zombies (berth itself, like Docker\'s tini: no binary is added to the container)'
complete -c berth -n "__fish_berth_using_subcommand run" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c berth -n "__fish_berth_using_subcommand create" -l name -d 'Name the container (unique)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s e -l env -d 'Set an environment variable: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -s w -l workdir -d 'Working directory inside the container (created if missing)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l group-add -d 'Add supplementary groups (names from the image\'s /etc/group, or numbers)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s h -l hostname -d 'Container hostname (default: the short container id)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l entrypoint -d 'Override the image\'s entrypoint ("" clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s v -l volume -d 'Bind mount a host path: SRC:DST, optionally with :ro or :rw' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l tmpfs -d 'Mount a tmpfs at PATH, optionally with mount options after a colon (PATH:size=64m)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l network -d 'Network mode: none (a private network namespace with lo up), host, pasta (a private namespace with the host\'s addresses, egress and -p ports through pasta), or a network\'s name (as root: a veth on the network\'s bridge; bridge is the default network)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pull -d 'When to pull the image: missing (only when absent), always, never (use the local image), newer (pull, but keep the local image when the registry cannot be reached)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s p -l publish -d 'Publish container ports on the host: IP:HOST_PORT:CONTAINER_PORT/PROTO, where IP, HOST_PORT (then a free one is picked) and /PROTO (tcp, udp) may be left out; ports may be ranges such as 8080-8081:80-81 (needs --network pasta, or a network as root)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ip -d 'The container\'s IPv4 address on its network (--network NAME, as root)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s l -l label -d 'Set a label on the container: KEY=VALUE, or KEY for an empty value' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l label-file -d 'Read labels from FILE: one KEY=VALUE per line, # comments' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l help -d 'Print help (-h is --hostname, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand create" -l rm -d 'Remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand create" -s i -l interactive -d 'Keep stdin open (without it the container\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-terminal (the container\'s controlling terminal and /dev/console)'
complete -c berth -n "__fish_berth_using_subcommand create" -l init -d 'Run an init as PID 1 that forwards signals to the command and reaps zombies (berth itself, like Docker\'s tini: no binary is added to the container)'
complete -c berth -n "__fish_berth_using_subcommand create" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c berth -n "__fish_berth_using_subcommand start" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand start" -s a -l attach -d 'Attach to the container\'s output and exit with its exit code (without it the container runs in the background under its monitor)'
complete -c berth -n "__fish_berth_using_subcommand start" -s i -l interactive -d 'Attach stdin (the container must have been created with -i)'
complete -c berth -n "__fish_berth_using_subcommand start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand rm" -l cidfile -d 'Remove the container whose id FILE holds (repeatable)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -s f -l force -d 'Kill running containers first (SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s a -l all -d 'Remove every container (running ones only with --force)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s i -l ignore -d 'Succeed for containers that do not exist'
complete -c berth -n "__fish_berth_using_subcommand rm" -s v -l volumes -d 'Also remove the container\'s anonymous volumes (berth creates none yet, so there is nothing more to remove)'
complete -c berth -n "__fish_berth_using_subcommand rm" -l depend -d 'Also remove the containers that depend on it (none can yet: berth has no --network container: or --volumes-from)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand logs" -s n -l tail -d 'Only the last N lines ("all" for every line)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l since -d 'Only output since TIME (RFC 3339, Unix time, or a duration such as 10m)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l until -d 'Only output until TIME' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -s f -l follow -d 'Keep printing new output until the container stops'
complete -c berth -n "__fish_berth_using_subcommand logs" -s t -l timestamps -d 'Prefix each line with its time (RFC 3339, nanoseconds)'
complete -c berth -n "__fish_berth_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand ps" -s f -l filter -d 'Filter output: id=PREFIX, name=NAME|REGEX, label=KEY[=VALUE], status=STATE (created, running, exited, paused, restarting, removing, dead), exited=CODE, ancestor=IMAGE, before=CONTAINER, since=CONTAINER' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -s n -l last -d 'Show the N last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand exec" -s u -l user -d 'User to run as: NAME, UID, NAME:GROUP or UID:GID, from the container\'s /etc/passwd and /etc/group (default: the container\'s user)' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container, which must exist (default: the container\'s)' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s e -l env -d 'Set an environment variable over the container\'s: KEY=VALUE, or KEY to take the host\'s value' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l env-file -d 'Read environment variables from a file (KEY=VALUE lines, # comments)' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s d -l detach -d 'Run the command in the background and return at once, printing nothing (its output is discarded; not with -i or -t)'
complete -c berth -n "__fish_berth_using_subcommand exec" -s i -l interactive -d 'Pass stdin to the command (without it the command\'s stdin is /dev/null)'
complete -c berth -n "__fish_berth_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-terminal for the command, from the container\'s own devpts'
complete -c berth -n "__fish_berth_using_subcommand exec" -l privileged -d 'Give the command every capability (the container\'s seccomp filter still applies, as in Docker)'
complete -c berth -n "__fish_berth_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand top" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand top" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand top" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand rename" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand rename" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand rename" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand port" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand port" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand port" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand port" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "list" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "inspect" -d 'Show details of networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "rm" -d 'Remove networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "remove" -d 'Remove networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "prune" -d 'Remove every network without containers'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "exists" -d 'Check whether a network exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s d -l driver -d 'The driver: only "bridge"' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l subnet -d 'The IPv4 subnet, such as 10.42.0.0/24 (default: the first free /24 from 10.89.0.0 that overlaps no other network and no route of the host)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l gateway -d 'The gateway address (default: the subnet\'s first address); needs --subnet' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ip-range -d 'Give containers addresses from this part of the subnet only; needs --subnet' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l label -d 'Set a label, KEY=VALUE (repeatable)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s o -l opt -d 'Driver option, KEY=VALUE (repeatable); berth knows mtu=N' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l internal -d 'No route out of the network: its containers get no default route'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l disable-dns -d 'No name resolution on this network (recorded; berth has no network DNS yet)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ignore -d 'Succeed without change when a network of that name exists'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output: name=TEXT (a part of the name), id=PREFIX, label=KEY[=VALUE], driver=DRIVER' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output: name=TEXT (a part of the name), id=PREFIX, label=KEY[=VALUE], driver=DRIVER' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l format -d 'Format output with a Go template, "table …", or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output with a Go template, or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s f -l force -d 'Also remove the containers on the network (killing running ones)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s f -l force -d 'Also remove the containers on the network (killing running ones)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show details of networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove networks'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove every network without containers'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Check whether a network exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand events" -l since -d 'Show events since TIME (RFC 3339, Unix time, or a duration such as 10m before now)' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l until -d 'Show events until TIME, then stop (without it, berth waits for new events)' -r
complete -c berth -n "__fish_berth_using_subcommand events" -s f -l filter -d 'Only events matching KEY=VALUE (repeatable)' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l format -d 'Format each event with a Go template, or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l stream -d 'Keep waiting for new events (--stream=false prints the recorded ones and exits)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand events" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand version" -s f -l format -d 'Format output with a Go template ({{.Client.Version}} or {{.Version}}), or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand info" -s f -l format -d 'Format output with a Go template ({{.Store.GraphRoot}}, {{.Images}}, …), or "json"' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "rmi" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "pull" -d 'Pull an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "push" -d 'Push an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "search" -d 'Search a registry for images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "login" -d 'Log in to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "logout" -d 'Log out of a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "exec" -d 'Run a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "top" -d 'Show the processes of a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "port" -d 'List a container\'s published ports'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "network" -d 'Manage networks'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "events" -d 'Show what happened to containers, as it happens'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "version" -d 'Show the berth version'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "info" -d 'Show system-wide information'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect pull push search login logout container run create start rm logs ps exec top rename port network events version info help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "exists" -d 'Check whether an image exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exec" -d 'Run a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "top" -d 'Show the processes of a running container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "inspect" -d 'Show details of containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exists" -d 'Exit 0 if a container exists, 1 if not'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "port" -d 'List a container\'s published ports'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "inspect" -d 'Show details of networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "rm" -d 'Remove networks'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "prune" -d 'Remove every network without containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "exists" -d 'Check whether a network exists (exit 0) or not (exit 1)'

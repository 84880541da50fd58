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
complete -c berth -n "__fish_berth_needs_command" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_needs_command" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_needs_command" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_needs_command" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "stop" -d 'Stop running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "kill" -d 'Send a signal to running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "restart" -d 'Restart containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "wait" -d 'Wait for containers to stop and print their exit codes'
complete -c berth -n "__fish_berth_needs_command" -f -a "pause" -d 'Pause all processes in containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "unpause" -d 'Unpause paused containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "attach" -d 'Attach to a running container\'s output (and input)'
complete -c berth -n "__fish_berth_needs_command" -f -a "version" -d 'Show the berth version'
complete -c berth -n "__fish_berth_needs_command" -f -a "info" -d 'Show system-wide information'
complete -c berth -n "__fish_berth_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "list" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "rm" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "remove" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "exists" -d 'Check whether an image exists (exit 0) or not (exit 1)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from ls list load save import tag untag rm remove inspect history prune exists help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l type -d 'The kind of object (only "image" exists so far)' -r
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
complete -c berth -n "__fish_berth_using_subcommand inspect" -l type -d 'The kind of object (only "image" exists so far)' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "list" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "stop" -d 'Stop running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "kill" -d 'Send a signal to running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "restart" -d 'Restart containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "wait" -d 'Wait for containers to stop and print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "pause" -d 'Pause all processes in containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "unpause" -d 'Unpause paused containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "attach" -d 'Attach to a running container\'s output (and input)'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from create start rm logs ls list ps run stop kill restart wait pause unpause attach help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network -d 'Network mode: none (a private network namespace with lo up) or host' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'When to pull the image: never (use the local image), missing (pull only when absent; pulling itself arrives with the registry work, so an absent image is an error for now)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal `stop` sends first: a name (SIGTERM, TERM) or a number (default: the image\'s STOPSIGNAL, else SIGTERM)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Seconds `stop` waits after the stop signal before SIGKILL (default 10; -1: forever)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped (the same as always: berth has no daemon whose restart they differ on). Restarts back off from 100 ms, doubling to 1 min; stop, rm -f and kill end them' -r
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
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Kill running containers first (SIGKILL)'
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
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network -d 'Network mode: none (a private network namespace with lo up) or host' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'When to pull the image: never (use the local image), missing (pull only when absent; pulling itself arrives with the registry work, so an absent image is an error for now)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal `stop` sends first: a name (SIGTERM, TERM) or a number (default: the image\'s STOPSIGNAL, else SIGTERM)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Seconds `stop` waits after the stop signal before SIGKILL (default 10; -1: forever)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped (the same as always: berth has no daemon whose restart they differ on). Restarts back off from 100 ms, doubling to 1 min; stop, rm -f and kill end them' -r
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
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -l timeout -d 'Seconds to wait after the stop signal before SIGKILL (default: the container\'s --stop-timeout, else 10; -1 waits forever)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send: a name (SIGHUP, HUP) or a number (1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -l timeout -d 'Seconds to wait after the stop signal before SIGKILL (default: the container\'s --stop-timeout, else 10; -1 waits forever)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l condition -d 'What to wait for: stopped or exited (the container is not running nor restarting; prints its exit code), or running (prints -1, as Podman)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Keys that detach: comma-separated, each ctrl-X or one character ("" turns detaching off)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Forward the signals berth receives (INT, TERM, HUP, QUIT, USR1, USR2) to the container; not with a terminal, where ctrl-c reaches it through the terminal' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not send stdin to the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait for containers to stop and print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause all processes in containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "unpause" -d 'Unpause paused containers'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach to a running container\'s output (and input)'
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
complete -c berth -n "__fish_berth_using_subcommand run" -l network -d 'Network mode: none (a private network namespace with lo up) or host' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pull -d 'When to pull the image: never (use the local image), missing (pull only when absent; pulling itself arrives with the registry work, so an absent image is an error for now)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-signal -d 'Signal `stop` sends first: a name (SIGTERM, TERM) or a number (default: the image\'s STOPSIGNAL, else SIGTERM)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-timeout -d 'Seconds `stop` waits after the stop signal before SIGKILL (default 10; -1: forever)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped (the same as always: berth has no daemon whose restart they differ on). Restarts back off from 100 ms, doubling to 1 min; stop, rm -f and kill end them' -r
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
complete -c berth -n "__fish_berth_using_subcommand create" -l network -d 'Network mode: none (a private network namespace with lo up) or host' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ulimit -d 'Resource limit NAME=SOFT or NAME=SOFT:HARD (never above your own hard limit)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pull -d 'When to pull the image: never (use the local image), missing (pull only when absent; pulling itself arrives with the registry work, so an absent image is an error for now)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cidfile -d 'Write the container id to FILE (refused if FILE exists; removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l pidfile -d 'Write the container process\'s pid to FILE (removed with the container)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l log-driver -d 'Where a detached container\'s output goes: json-file (default) or none' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-opt -d 'Log options: max-size=SIZE (default 10m), max-file=N (default 3); logs rotate by default' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-signal -d 'Signal `stop` sends first: a name (SIGTERM, TERM) or a number (default: the image\'s STOPSIGNAL, else SIGTERM)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-timeout -d 'Seconds `stop` waits after the stop signal before SIGKILL (default 10; -1: forever)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always or unless-stopped (the same as always: berth has no daemon whose restart they differ on). Restarts back off from 100 ms, doubling to 1 min; stop, rm -f and kill end them' -r
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
complete -c berth -n "__fish_berth_using_subcommand rm" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -s f -l force -d 'Kill running containers first (SIGKILL)'
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
complete -c berth -n "__fish_berth_using_subcommand stop" -s t -l time -l timeout -d 'Seconds to wait after the stop signal before SIGKILL (default: the container\'s --stop-timeout, else 10; -1 waits forever)' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand kill" -s s -l signal -d 'Signal to send: a name (SIGHUP, HUP) or a number (1)' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand restart" -s t -l time -l timeout -d 'Seconds to wait after the stop signal before SIGKILL (default: the container\'s --stop-timeout, else 10; -1 waits forever)' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand wait" -l condition -d 'What to wait for: stopped or exited (the container is not running nor restarting; prints its exit code), or running (prints -1, as Podman)' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand pause" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand pause" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand pause" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand unpause" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand unpause" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand unpause" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand unpause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand attach" -l detach-keys -d 'Keys that detach: comma-separated, each ctrl-X or one character ("" turns detaching off)' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l sig-proxy -d 'Forward the signals berth receives (INT, TERM, HUP, QUIT, USR1, USR2) to the container; not with a terminal, where ctrl-c reaches it through the terminal' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand attach" -l root -d 'Path to the image and container store (default: /var/lib/berth as root, $XDG_DATA_HOME/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l runroot -d 'Path to the runtime state directory (default: /run/berth as root, $XDG_RUNTIME_DIR/berth rootless)' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l storage-driver -d 'Storage driver: "overlay" (the default, also spelt "overlay2") stacks the image\'s layers with the kernel\'s overlayfs, falling back to fuse-overlayfs and then to a copy where the kernel refuses; "vfs" gives every container its own copy of the image' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l storage-opt -d 'Storage driver option, KEY=VALUE (repeatable); berth knows overlay.mount_program=/usr/bin/fuse-overlayfs, which mounts every container\'s root with that FUSE program instead of the kernel\'s overlay' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l log-level -d 'Log messages at this level and above: trace, debug, info, warn, error' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l no-stdin -d 'Do not send stdin to the container'
complete -c berth -n "__fish_berth_using_subcommand attach" -s h -l help -d 'Print help (see more with \'--help\')'
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
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "load" -d 'Load images from a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "save" -d 'Save images to a docker-archive or oci-archive'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "import" -d 'Create an image from a root filesystem tarball'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "tag" -d 'Add names to an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "untag" -d 'Remove names from an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "rmi" -d 'Remove images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "inspect" -d 'Show details of images'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "stop" -d 'Stop running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "kill" -d 'Send a signal to running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "restart" -d 'Restart containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "wait" -d 'Wait for containers to stop and print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "pause" -d 'Pause all processes in containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "unpause" -d 'Unpause paused containers'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "attach" -d 'Attach to a running container\'s output (and input)'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "version" -d 'Show the berth version'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "info" -d 'Show system-wide information'
complete -c berth -n "__fish_berth_using_subcommand help; and not __fish_seen_subcommand_from image images load save import tag untag rmi history inspect container run create start rm logs ps stop kill restart wait pause unpause attach version info help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create a container without starting it'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start a created or exited container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Show a container\'s output'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Run a command in a new container'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stop" -d 'Stop running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "kill" -d 'Send a signal to running containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "restart" -d 'Restart containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "wait" -d 'Wait for containers to stop and print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "pause" -d 'Pause all processes in containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "unpause" -d 'Unpause paused containers'
complete -c berth -n "__fish_berth_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "attach" -d 'Attach to a running container\'s output (and input)'

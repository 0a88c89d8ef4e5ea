# pkggate.fish - fish's counterpart of pkggate.sh, put in
# ~/.config/fish/conf.d/ by install.sh: the shim directory first on PATH,
# pkggate's own bin/ on it (as the .profile lines do for bash and zsh: fish
# reads no .profile), and one function per link in it, so an activated virtualenv's bin/ ahead
# of the shims does not walk around them. After an uninstall each function
# falls back to the command on PATH.
set -g __pkggate_shim @SHIM@
if not contains -- @SHIMS@ $PATH
    set -gx PATH @SHIMS@ $PATH
end
if not contains -- @BIN@ $PATH
    set -gx PATH $PATH @BIN@
end
set -g __pkggate_funcs
for __pkggate_t in @SHIMS@/*
    set -l n (string replace -r '.*/' '' -- $__pkggate_t)
    string match -qr '^[A-Za-z0-9._-]+$' -- $n; or continue
    function $n --inherit-variable n
        if test -x $__pkggate_shim
            $__pkggate_shim $n $argv
        else
            command $n $argv
        end
    end
    set -a __pkggate_funcs $n
end
function pkggate
    if test "$argv[1]" = doctor
        PKGGATE_SHELL_FUNCTIONS="$__pkggate_funcs" command pkggate $argv
    else
        command pkggate $argv
    end
end

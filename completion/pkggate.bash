# bash completion for pkggate                              -*- shell-script -*-
# Installed as share/bash-completion/completions/pkggate.

_pkggate_rules="non_registry_source typosquat unknown_package min_version_age min_package_age
deprecated yanked quarantined install_scripts registry_signature provenance_downgrade
publisher_change integrity index_confusion provenance"

_pkggate()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local cmd=${COMP_WORDS[1]} opts="" i
    COMPREPLY=()

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "allow check doctor explain policy report run trust-root --help --version" -- "$cur"))
        return 0
    fi
    case "$prev" in
        --ecosystem|-e) COMPREPLY=($(compgen -W "npm pypi" -- "$cur")); return 0 ;;
        --rule) COMPREPLY=($(compgen -W "$_pkggate_rules" -- "$cur")); return 0 ;;
        --json-out) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        --reason|--for) return 0 ;;
    esac
    case "$cmd" in
        run)
            # After --, the tool's own words: leave them to its completion.
            for ((i = 2; i < COMP_CWORD; i++)); do
                if [ "${COMP_WORDS[i]}" = "--" ]; then
                    [ $((i + 1)) -eq "$COMP_CWORD" ] &&
                        COMPREPLY=($(compgen -W "npm npx pip pip3" -- "$cur"))
                    return 0
                fi
            done
            opts="--json-out --json --offline --refresh --quiet --help --" ;;
        check) opts="--ecosystem --offline --refresh --names-only --json --quiet --help" ;;
        allow) opts="--reason --for --rule --user --project --help" ;;
        explain) opts="--offline --help" ;;
        report)
            if [ "$prev" = --since ]; then
                COMPREPLY=($(compgen -W "24h 7d 30d all" -- "$cur"))
                return 0
            fi
            opts="--since --json --help" ;;
        policy)
            if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "show trust untrust keygen sign verify" -- "$cur"))
            elif [ "${COMP_WORDS[2]}" = trust ] || [ "${COMP_WORDS[2]}" = untrust ]; then
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return 0 ;;
        trust-root)
            if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "update show" -- "$cur"))
            elif [ "$prev" = --root ]; then
                COMPREPLY=($(compgen -f -- "$cur"))
            elif [ "${COMP_WORDS[2]}" = update ]; then
                COMPREPLY=($(compgen -W "--url --root --help" -- "$cur"))
            fi
            return 0 ;;
        *) return 0 ;;
    esac
    case "$cur" in
        -*) COMPREPLY=($(compgen -W "$opts" -- "$cur")) ;;
        *) [ "$cmd" = allow ] || [ "$cmd" = explain ] &&
               COMPREPLY=($(compgen -W "pkg:npm/ pkg:pypi/" -- "$cur")) ;;
    esac
    return 0
}
complete -o default -F _pkggate pkggate

# fish completion for pkggate; installed as share/fish/vendor_completions.d/pkggate.fish.
set -l cmds allow check doctor explain policy report run trust-root
set -l rules non_registry_source typosquat unknown_package min_version_age min_package_age \
    deprecated yanked quarantined install_scripts registry_signature provenance_downgrade \
    publisher_change integrity index_confusion provenance

complete -c pkggate -f
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a allow -d 'add an exception with a reason and an expiry'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a check -d 'check package names without installing'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a doctor -d 'show PATH order, real tools, policy layers'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a explain -d 'show the facts each rule saw'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a report -d 'summarise the audit log'
complete -c pkggate -n "__fish_seen_subcommand_from report" -l since -x -a "24h 7d 30d all" -d 'how far back'
complete -c pkggate -n "__fish_seen_subcommand_from report" -l json -d 'one JSON object'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a policy -d 'show, trust or sign policies'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a run -d 'check a pip/npm command, then run or block it'
complete -c pkggate -n "not __fish_seen_subcommand_from $cmds" -a trust-root -d "update or show sigstore's trusted root"
complete -c pkggate -n "__fish_seen_subcommand_from trust-root; and not __fish_seen_subcommand_from update show" -a "update show"
complete -c pkggate -n "__fish_seen_subcommand_from update" -l url -x -d 'TUF repository'
complete -c pkggate -n "__fish_seen_subcommand_from update" -l root -r -F -d 'root.json to start from'

complete -c pkggate -n "__fish_seen_subcommand_from run" -l json-out -r -F -d 'verdicts into FILE'
complete -c pkggate -n "__fish_seen_subcommand_from run" -l json -d 'verdicts on stdout'
complete -c pkggate -n "__fish_seen_subcommand_from run check explain" -l offline -d 'no network'
complete -c pkggate -n "__fish_seen_subcommand_from run check" -l refresh -d 'ask the registry now'
complete -c pkggate -n "__fish_seen_subcommand_from run check" -l quiet -d 'no warning lines'
complete -c pkggate -n "__fish_seen_subcommand_from run" -a "npm npx pip pip3"
complete -c pkggate -n "__fish_seen_subcommand_from check" -s e -l ecosystem -x -a "npm pypi"
complete -c pkggate -n "__fish_seen_subcommand_from check" -l names-only -d 'no registry at all'
complete -c pkggate -n "__fish_seen_subcommand_from check" -l json -d 'verdicts on stdout'
complete -c pkggate -n "__fish_seen_subcommand_from allow" -l reason -x -d 'why'
complete -c pkggate -n "__fish_seen_subcommand_from allow" -l for -x -a "1d 7d 2w" -d 'how long'
complete -c pkggate -n "__fish_seen_subcommand_from allow" -l rule -x -a "$rules" -d 'rule to silence'
complete -c pkggate -n "__fish_seen_subcommand_from allow" -l user -d 'user policy file'
complete -c pkggate -n "__fish_seen_subcommand_from allow" -l project -d 'the project .pkggate.json'
complete -c pkggate -n "__fish_seen_subcommand_from allow explain" -a "pkg:npm/ pkg:pypi/"
complete -c pkggate -n "__fish_seen_subcommand_from policy; and not __fish_seen_subcommand_from show trust untrust keygen sign verify" -a "show trust untrust keygen sign verify"
complete -c pkggate -n "__fish_seen_subcommand_from trust untrust" -F

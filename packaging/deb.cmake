# The Debian package, built by CMake's own CPack from this tree:
#
#   cmake -S . -B build/deb -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF
#   cmake --build build/deb -j"$(nproc)" && (cd build/deb && cpack -G DEB)
#
# gives build/deb/pkggate_<version>_<arch>.deb: pkggate in /usr/bin, the
# libc-only shim and its links in /usr/lib/pkggate, the shell functions,
# man pages, completions, and /etc/profile.d/pkggate.sh for login shells.
# It has no maintainer scripts: installing touches no one's home, and
# purging removes every file it brought (tests/package/test_deb.sh).
#
# The install rules here serve `cmake --install` too: the links in
# <prefix>/lib/pkggate/shims come from `pkggate --list-tools` (the tool
# table), so a new tool needs no edit. The files outside the prefix
# (/etc/profile.d, fish's vendor_conf.d) are written only for a /usr
# prefix, the package's; install.sh writes its own for ~/.local and
# /usr/local.

set(PG_PKGLIB lib/pkggate)
install(FILES ${PROJECT_SOURCE_DIR}/shim/pkggate.sh ${PROJECT_SOURCE_DIR}/shim/pkggate.fish
        DESTINATION ${PG_PKGLIB})

# One link per exact name of the table, and for the names ending in N
# (pip3.N, python3.N) one per version in PKGGATE_SHIM_VERSIONS: the package
# cannot ask the machine it lands on which pythons it has, and a
# maintainer script that made links would leave files dpkg does not own.
# The default covers Debian 11-13's python3.9/3.11/3.13 and their
# neighbours; a link for a version a machine lacks runs nothing but a
# "no real tool" (127), as the missing command would. install.sh replaces
# them all with the versions a login shell really runs.
set(PKGGATE_SHIM_VERSIONS "3.9;3.10;3.11;3.12;3.13" CACHE STRING
    "Versions N for which pip3.N and python3.N links are installed")
install(CODE "
  set(shims \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${PG_PKGLIB}/shims\")
  execute_process(COMMAND \"$<TARGET_FILE:pkggate>\" --list-tools
                  OUTPUT_VARIABLE tools RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR \"pkggate --list-tools failed: \${rc}\")
  endif()
  string(REPLACE \"\\n\" \";\" tools \"\${tools}\")
  file(MAKE_DIRECTORY \"\${shims}\")
  foreach(t \${tools})
    set(names \"\${t}\")
    if(t MATCHES \"^(.*)3\\\\.N$\")
      set(names \"\")
      foreach(v ${PKGGATE_SHIM_VERSIONS})
        list(APPEND names \"\${CMAKE_MATCH_1}\${v}\")
      endforeach()
    endif()
    foreach(n \${names})
      file(CREATE_LINK ../pkggate-shim \"\${shims}/\${n}\" SYMBOLIC)
    endforeach()
  endforeach()
")

# Outside the prefix, for the package (a /usr prefix) only. file(INSTALL)
# puts DESTDIR (CPack's staging directory) in front of these itself.
set(SHIMS /usr/${PG_PKGLIB}/shims)
set(PKGLIB /usr/${PG_PKGLIB})
configure_file(${CMAKE_CURRENT_LIST_DIR}/profile.sh.in ${PROJECT_BINARY_DIR}/pkggate-profile.sh
               @ONLY)
set(SHIM /usr/${PG_PKGLIB}/pkggate-shim)
set(BIN /usr/bin)
configure_file(${PROJECT_SOURCE_DIR}/shim/pkggate.fish ${PROJECT_BINARY_DIR}/pkggate-vendor.fish
               @ONLY)
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    file(INSTALL \"${PROJECT_BINARY_DIR}/pkggate-profile.sh\" DESTINATION /etc/profile.d
         RENAME pkggate.sh PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    file(INSTALL \"${PROJECT_BINARY_DIR}/pkggate-vendor.fish\"
         DESTINATION /usr/share/fish/vendor_conf.d RENAME pkggate.fish
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pkggate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "checks pip and npm installs against a policy before they run")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
       "pkggate stands in front of pip and npm on PATH: every install is judged\n"
       "against a layered, optionally signed organisation policy (typosquats,\n"
       "version age, deny lists, registry signatures) before the real tool runs.")
set(CPACK_PACKAGE_CONTACT "pkggate maintainers <pkggate@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_STRIP_FILES ON)
# /etc/profile.d/pkggate.sh is the admin's to edit: dpkg keeps their edits.
file(WRITE ${PROJECT_BINARY_DIR}/deb/conffiles "/etc/profile.d/pkggate.sh\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/deb/conffiles)
# Debian's names for what pkggate links, from the binaries when dpkg-shlibdeps can tell.
find_program(PG_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PG_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libcurl4, libjansson4, libsodium23, libssl3")
endif()
include(CPack)

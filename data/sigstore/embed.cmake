# cmake -DIN=trusted_root.json -DOUT=file.c [-DNAME=sym] -P embed.cmake: a
# file as a const byte array named NAME (pg_sigstore_root_json unless
# given; the TUF root is pg_tuf_sigstore_root_json), NUL-terminated with
# its length beside it, so the binary carries its own copy and needs no
# file at run time.
if(NOT NAME)
  set(NAME pg_sigstore_root_json)
endif()
get_filename_component(base ${IN} NAME)
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from data/sigstore/${base} by embed.cmake. */\n"
     "#include <stddef.h>\n"
     "extern const unsigned char ${NAME}[];\n"
     "extern const size_t ${NAME}_len;\n"
     "const unsigned char ${NAME}[] = {\n${bytes}0x00};\n"
     "const size_t ${NAME}_len = ${n};\n")

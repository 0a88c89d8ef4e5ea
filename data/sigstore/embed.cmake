# cmake -DIN=trusted_root.json -DOUT=file.c -P embed.cmake: the trusted root
# as a const byte array (NUL-terminated, length beside it), so the binary
# carries its own copy and needs no file at run time.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from data/sigstore/trusted_root.json by embed.cmake. */\n"
     "#include <stddef.h>\n"
     "extern const unsigned char pg_sigstore_root_json[];\n"
     "extern const size_t pg_sigstore_root_json_len;\n"
     "const unsigned char pg_sigstore_root_json[] = {\n${bytes}0x00};\n"
     "const size_t pg_sigstore_root_json_len = ${n};\n")

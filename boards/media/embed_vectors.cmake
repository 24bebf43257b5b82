# SPDX-License-Identifier: MIT
# Writes a C file holding test vector files as byte arrays (cmake -P, at build time):
#   -DOUT=<file.c> -DDIR=<tests/vectors> -DFILES=<name|name> (names relative to DIR)
# Array names: sw_vec_<path with non-alphanumerics as _>, with a _len companion.
set(content "/* Generated from tests/vectors by boards/media/embed_vectors.cmake; do not edit. */\n#include <stdint.h>\n\n")
string(REPLACE "|" ";" FILES "${FILES}")
foreach(name ${FILES})
  file(READ ${DIR}/${name} hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR bytes "${hex_len} / 2")
  string(REGEX REPLACE "[^A-Za-z0-9]" "_" symbol "sw_vec_${name}")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
  string(APPEND content "const uint8_t ${symbol}[${bytes}] = {${body}};\nconst int32_t ${symbol}_len = ${bytes};\n\n")
endforeach()
file(WRITE ${OUT} "${content}")

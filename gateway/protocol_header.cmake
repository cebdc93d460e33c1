# Generates gateway_protocol.h from protocol.json (the one place the wire constants live; the
# JavaScript side imports the same JSON). Run at configure time and again when the JSON changes.
#   cmake -DIN=protocol.json -DOUT=gateway_protocol.h -P protocol_header.cmake
file(READ ${IN} json)

# "camelCase" -> "CamelCase"
function(upper_first name out)
  string(SUBSTRING ${name} 0 1 first)
  string(SUBSTRING ${name} 1 -1 rest)
  string(TOUPPER ${first} first)
  set(${out} "${first}${rest}" PARENT_SCOPE)
endfunction()

set(body "")
string(JSON version GET ${json} version)
string(APPEND body "inline constexpr int kProtocolVersion = ${version};\n\n")

foreach(group paths query message)
  upper_first(${group} group_name)
  string(JSON n LENGTH ${json} ${group})
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON key MEMBER ${json} ${group} ${i})
    string(JSON value GET ${json} ${group} ${key})
    upper_first(${key} key_name)
    string(APPEND body "inline constexpr std::string_view k${group_name}${key_name} = \"${value}\";\n")
  endforeach()
  string(APPEND body "\n")
endforeach()

string(APPEND body "enum class CloseCode : uint16_t {\n")
set(names "")
string(JSON n LENGTH ${json} close)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON key MEMBER ${json} close ${i})
  string(JSON value GET ${json} close ${key})
  upper_first(${key} key_name)
  string(APPEND body "  k${key_name} = ${value},\n")
  string(APPEND names "    {CloseCode::k${key_name}, \"${key}\"},\n")
endforeach()
string(APPEND body "};\n\n")
string(APPEND body "struct CloseCodeName {\n  CloseCode code;\n  std::string_view name;\n};\n")
string(APPEND body "inline constexpr CloseCodeName kCloseCodes[] = {\n${names}};\n\n")

string(JSON n LENGTH ${json} limits)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON key MEMBER ${json} limits ${i})
  string(JSON value GET ${json} limits ${key})
  upper_first(${key} key_name)
  string(APPEND body "inline constexpr size_t k${key_name} = ${value};\n")
endforeach()

file(WRITE ${OUT}.tmp "// Generated from gateway/protocol.json by gateway/protocol_header.cmake. Do not edit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lw::gateway::protocol {

${body}
}  // namespace lw::gateway::protocol
")
# Only touch the header when it changed, so an unchanged JSON rebuilds nothing.
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)

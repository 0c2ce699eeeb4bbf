// What a file is, from its first bytes: the intake never trusts a file's name or the type a
// sender declared. Pure; no I/O.
#pragma once

#include <string>
#include <string_view>

namespace psea::intake {

struct SniffedType {
  std::string mime;         // "application/pdf", ...; "application/octet-stream" when unknown
  bool executable = false;  // a program or script: refused from uploads
};

SniffedType SniffContentType(std::string_view bytes);

}  // namespace psea::intake

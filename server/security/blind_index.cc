#include "security/blind_index.h"

#include <algorithm>
#include <vector>

namespace psea::security {

BlindIndex::BlindIndex(const SecretBytes& server_key, std::string_view purpose)
    : key_(HmacSha256(server_key.bytes(), "psea-blind-index:" + std::string(purpose))) {}

std::string BlindIndex::Normalise(std::string_view identity) {
  std::vector<std::string> words;
  std::string word;
  for (char ch : identity) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '.' || ch == ',' ||
        ch == '-') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    word.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string BlindIndex::Tag(std::string_view identity) const {
  const std::string normalised = Normalise(identity);
  if (normalised.empty()) return "";
  return HexEncode(HmacSha256(key_.bytes(), normalised));
}

}  // namespace psea::security

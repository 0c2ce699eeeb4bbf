#include "http/download.h"

#include "core/utf8.h"

namespace psea::http {

namespace {
constexpr std::size_t kMaxFilenameBytes = 120;

bool IsReplaced(unsigned char c) {
  // Separators, quotes, and what Windows refuses in a file name.
  return c == '/' || c == '\\' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ':' ||
         c == '|' || c == '?' || c == '*' || c == '`';
}

// Cuts `name` to `limit` bytes on a character boundary, keeping a short extension.
std::string Shorten(const std::string& name, std::size_t limit) {
  if (name.size() <= limit) return name;
  std::string extension;
  if (auto dot = name.rfind('.'); dot != std::string::npos && dot > 0 && name.size() - dot <= 10) {
    extension = name.substr(dot);
  }
  std::string stem = name.substr(0, name.size() - extension.size());
  std::size_t keep = 0;
  for (std::size_t i = 0; i < stem.size();) {
    const std::size_t length = Utf8SequenceLength(stem, i);  // valid: SafeFilename checked
    if (i + length + extension.size() > limit) break;
    i += length;
    keep = i;
  }
  return stem.substr(0, keep) + extension;
}

// Latin letters with accents (U+00C0..U+00FF) written without them, for the ASCII fallback.
constexpr std::string_view kLatin1Plain =
    "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo_ouuuuyty";

bool IsAttrChar(unsigned char c) {
  // RFC 8187 attr-char.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
         c == '#' || c == '$' || c == '&' || c == '+' || c == '-' || c == '.' || c == '^' ||
         c == '_' || c == '`' || c == '|' || c == '~';
}
}  // namespace

std::string SafeFilename(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = Utf8SequenceLength(name, i);
    if (length == 0) {
      ++i;
      continue;
    }
    const auto lead = static_cast<unsigned char>(name[i]);
    const auto second = length > 1 ? static_cast<unsigned char>(name[i + 1]) : 0;
    const bool control = lead < 0x20 || lead == 0x7F || (lead == 0xC2 && second < 0xA0);
    // U+2028/2029 and the bidirectional overrides (U+202A..202E, U+2066..2069) disguise names.
    const bool invisible = length == 3 && lead == 0xE2 &&
                           static_cast<unsigned char>(name[i + 1]) == 0x80 &&
                           static_cast<unsigned char>(name[i + 2]) >= 0xA8 &&
                           static_cast<unsigned char>(name[i + 2]) <= 0xAE;
    const bool isolate = length == 3 && lead == 0xE2 &&
                         static_cast<unsigned char>(name[i + 1]) == 0x81 &&
                         static_cast<unsigned char>(name[i + 2]) >= 0xA6 &&
                         static_cast<unsigned char>(name[i + 2]) <= 0xA9;
    if (control || invisible || isolate) {
      out += '_';
    } else if (length == 1 && IsReplaced(lead)) {
      out += '_';
    } else {
      out.append(name.substr(i, length));
    }
    i += length;
  }
  std::size_t first = out.find_first_not_of(". _");
  out = first == std::string::npos ? std::string() : out.substr(first);
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  return Shorten(out, kMaxFilenameBytes);
}

std::string ContentDisposition(std::string_view name, std::string_view fallback) {
  std::string safe = SafeFilename(name);
  if (safe.empty()) safe = SafeFilename(fallback);
  std::string ascii;
  bool plain = true;
  for (std::size_t i = 0; i < safe.size();) {
    const std::size_t length = Utf8SequenceLength(safe, i);
    const auto lead = static_cast<unsigned char>(safe[i]);
    if (length == 1) {
      // '%' and '\' are read as escapes by some browsers in the quoted form.
      ascii += (lead == '%' || lead == '\\') ? '_' : static_cast<char>(lead);
      if (lead == '%') plain = false;
    } else {
      plain = false;
      const auto second = static_cast<unsigned char>(safe[i + 1]);
      const unsigned code = length == 2 ? ((lead & 0x1Fu) << 6) | (second & 0x3Fu) : 0;
      ascii += code >= 0xC0 && code <= 0xFF ? kLatin1Plain[code - 0xC0] : '_';
    }
    i += length;
  }
  std::string out = "attachment; filename=\"" + ascii + "\"";
  if (!plain) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "; filename*=UTF-8''";
    for (unsigned char c : safe) {
      if (IsAttrChar(c)) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  }
  return out;
}

HttpResponse DownloadResponse(std::string body, std::string_view content_type,
                              std::string_view name, std::string_view fallback) {
  HttpResponse response;
  response.SetHeader("Content-Type", std::string(content_type));
  response.SetHeader("Content-Disposition", ContentDisposition(name, fallback));
  response.body = std::move(body);
  return response;
}

}  // namespace psea::http

#include "modules/intake/content_type.h"

#include "core/utf8.h"

namespace psea::intake {

namespace {
bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

bool LooksLikeText(std::string_view bytes) {
  // Well-formed UTF-8 without NUL or other binary control bytes, in the first 4 KiB (a
  // sequence cut by that boundary is fine).
  const std::string_view head = bytes.substr(0, 4096);
  for (std::size_t i = 0; i < head.size();) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') return false;
    const std::size_t length = Utf8SequenceLength(head, i);
    if (length == 0) return head.size() < bytes.size() && head.size() - i < 4;
    i += length;
  }
  return true;
}
}  // namespace

SniffedType SniffContentType(std::string_view b) {
  using namespace std::string_view_literals;
  if (StartsWith(b, "%PDF-")) return {"application/pdf"};
  if (StartsWith(b, "\x89PNG\r\n\x1a\n"sv)) return {"image/png"};
  if (StartsWith(b, "\xFF\xD8\xFF"sv)) return {"image/jpeg"};
  if (StartsWith(b, "GIF87a") || StartsWith(b, "GIF89a")) return {"image/gif"};
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WEBP") return {"image/webp"};
  if (b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WAVE") return {"audio/wav"};
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    const std::string_view brand = b.substr(8, 4);
    if (brand == "M4A " || brand == "M4B ") return {"audio/mp4"};
    if (brand.substr(0, 3) == "3gp" || brand.substr(0, 3) == "3g2") return {"video/3gpp"};
    if (brand == "heic" || brand == "heix" || brand == "mif1") return {"image/heic"};
    return {"video/mp4"};
  }
  if (StartsWith(b, "OggS")) return {"audio/ogg"};
  if (StartsWith(b, "#!AMR")) return {"audio/amr"};
  if (StartsWith(b, "ID3") || (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFF &&
                               (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0)) {
    return {"audio/mpeg"};
  }
  if (StartsWith(b, "\x1A\x45\xDF\xA3"sv)) return {"video/webm"};
  if (StartsWith(b, "PK\x03\x04"sv)) {
    // Office documents are zip files; which one is told by a member's name near the start.
    const std::string_view head = b.substr(0, 2048);
    if (head.find("word/") != std::string_view::npos) {
      return {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"};
    }
    if (head.find("xl/") != std::string_view::npos) {
      return {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
    }
    if (head.find("mimetypeapplication/vnd.oasis.opendocument.text") != std::string_view::npos) {
      return {"application/vnd.oasis.opendocument.text"};
    }
    return {"application/zip"};
  }
  if (StartsWith(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) return {"application/msword"};
  // Programs and scripts.
  if (StartsWith(b, "MZ") ||
      StartsWith(b,
                 "\x7F"
                 "ELF") ||
      StartsWith(b, "#!") || StartsWith(b, "\xCF\xFA\xED\xFE"sv) ||
      StartsWith(b, "\xCE\xFA\xED\xFE"sv) || StartsWith(b, "\xCA\xFE\xBA\xBE"sv) ||
      StartsWith(b, "dex\n")) {
    return {"application/octet-stream", true};
  }
  if (!b.empty() && LooksLikeText(b)) {
    const std::string_view head = b.substr(0, 512);
    if (head.find("<html") != std::string_view::npos ||
        head.find("<HTML") != std::string_view::npos ||
        head.find("<script") != std::string_view::npos ||
        head.find("<svg") != std::string_view::npos) {
      // Active content is kept but only ever downloaded, never shown.
      return {"application/octet-stream"};
    }
    return {"text/plain; charset=utf-8"};
  }
  return {"application/octet-stream"};
}

}  // namespace psea::intake

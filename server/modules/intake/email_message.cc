#include "modules/intake/email_message.h"

#include "core/utf8.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace psea::intake {
namespace {

// ---------------------------------------------------------------------------------------------
// GObject ownership: every object this file creates is held by one of these.

struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(void* memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};

void InitGMimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// ---------------------------------------------------------------------------------------------
// UTF-8.

void AppendCodePoint(std::string& out, std::uint32_t code_point) {
  if (code_point == 0 || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = 0xFFFD;
  }
  AppendUtf8(out, code_point);
}

// Length of the well-formed UTF-8 sequence at `text[at]` (Unicode table 3-7), 0 if there is none.

// Valid UTF-8 with each invalid byte replaced by U+FFFD and NUL bytes removed: every string
// this parser returns may go to a database text column.
std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, at);
    if (length == 0) {
      AppendCodePoint(out, 0xFFFD);
      ++at;
      continue;
    }
    if (text[at] != '\0') out.append(text, at, length);
    at += length;
  }
  return out;
}

std::string SanitizeUtf8(const char* text) {
  return text == nullptr ? std::string() : SanitizeUtf8(std::string_view(text));
}

// "\r\n" and a lone "\r" become "\n".
std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string_view TrimSpace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// A header value (subject, name, file name) on one line: encoded words can carry any control
// character; each becomes a space. Valid UTF-8 in, valid UTF-8 out.
std::string OneLine(std::string_view text) {
  std::string out(TrimSpace(text));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return std::string(TrimSpace(out));
}

// ---------------------------------------------------------------------------------------------
// Bytes out of GMime.

std::string StreamBytes(GMimeStream* memory_stream) {
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory_stream));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// The content of a leaf with its transfer encoding (base64, quoted-printable, uuencode) undone.
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);  // owned by the part
  if (content == nullptr) return {};
  GPtr<GMimeStream> memory(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, memory.get());
  return StreamBytes(memory.get());
}

// `bytes` in `charset` converted to UTF-8 through GMime's iconv filter; nullopt when iconv does
// not know the charset.
std::optional<std::string> ConvertToUtf8(const std::string& bytes, const char* charset) {
  GPtr<GMimeFilter> filter(g_mime_filter_charset_new(charset, "UTF-8"));
  if (filter == nullptr) return std::nullopt;
  GPtr<GMimeStream> memory(g_mime_stream_mem_new());
  GPtr<GMimeStream> filtered(g_mime_stream_filter_new(memory.get()));
  g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter.get());
  if (!bytes.empty()) g_mime_stream_write(filtered.get(), bytes.data(), bytes.size());
  g_mime_stream_flush(filtered.get());
  return StreamBytes(memory.get());
}

// The text of a text/* leaf as UTF-8 with "\n" line ends.
// `bytes` in the `declared` charset (may be null) as UTF-8 with "\n" line ends.
std::string TextToUtf8(const std::string& bytes, const char* declared) {
  const std::string charset = declared == nullptr ? std::string() : AsciiLower(declared);
  std::optional<std::string> utf8;
  if (charset == "utf-8" || charset == "utf8") {
    utf8 = bytes;  // invalid sequences become U+FFFD below
  } else if (charset.empty() || charset == "us-ascii" || charset == "ascii") {
    // Undeclared 8-bit text is UTF-8 when it reads as UTF-8, else what Western mailers send.
    utf8 = IsValidUtf8(bytes) ? std::optional(bytes) : ConvertToUtf8(bytes, "windows-1252");
  } else {
    // ISO-8859-1 mail is in practice Windows-1252 (curly quotes, the euro sign).
    const char* windows = g_mime_charset_iso_to_windows(charset.c_str());
    utf8 = ConvertToUtf8(bytes, windows != nullptr ? windows : charset.c_str());
    if (!utf8 && !IsValidUtf8(bytes)) utf8 = ConvertToUtf8(bytes, "windows-1252");
  }
  return NormalizeNewlines(SanitizeUtf8(utf8 ? *utf8 : bytes));
}

std::string DecodedText(GMimePart* part) {
  return TextToUtf8(DecodedContent(part),
                    g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset"));
}

// ---------------------------------------------------------------------------------------------
// HTML reduced to text.

bool StartsWithNoCase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Collects text, collapsing runs of white space into one space and keeping at most one blank
// line between blocks.
class TextBuilder {
 public:
  void Space() { pending_space_ = true; }
  // <br>: one more line break (at most one blank line in a row).
  void Newline() { BreakUntil(TrailingNewlines() + 1); }
  // A block (<div>, <li>): starts on a line of its own.
  void EndLine() { BreakUntil(1); }
  // A paragraph (<p>, <h1>, a list): a blank line around it.
  void BlankLine() { BreakUntil(2); }
  void Append(std::string_view text) {
    if (text.empty()) return;
    if (pending_space_ && !out_.empty() && out_.back() != '\n') out_ += ' ';
    pending_space_ = false;
    out_ += text;
  }
  std::string Take() { return std::string(TrimSpace(out_)); }

 private:
  std::size_t TrailingNewlines() const {
    std::size_t newlines = 0;
    for (auto it = out_.rbegin(); it != out_.rend() && *it == '\n'; ++it) ++newlines;
    return newlines;
  }
  void BreakUntil(std::size_t newlines) {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    pending_space_ = false;
    if (out_.empty()) return;
    for (std::size_t have = TrailingNewlines(); have < std::min<std::size_t>(newlines, 2); ++have) {
      out_ += '\n';
    }
  }

  std::string out_;
  bool pending_space_ = false;
};

// Decodes the character reference at `html[at]` (which is '&'); returns the bytes consumed, 0
// when it is not one we know (the '&' is then kept as it is).
std::size_t DecodeEntity(std::string_view html, std::size_t at, std::string& decoded) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNamed = {{
      {"&amp;", "&"},
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&quot;", "\""},
      {"&apos;", "'"},
      {"&nbsp;", " "},
  }};
  for (const auto& [name, value] : kNamed) {
    if (StartsWithNoCase(html, at, name)) {
      decoded = value;
      return name.size();
    }
  }
  if (at + 2 >= html.size() || html[at + 1] != '#') return 0;
  std::size_t i = at + 2;
  const bool hex = html[i] == 'x' || html[i] == 'X';
  if (hex) ++i;
  std::uint32_t code_point = 0;
  std::size_t digits = 0;
  for (; i < html.size() && digits < 8; ++i, ++digits) {
    const char c = html[i];
    int value;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      value = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      value = c - 'A' + 10;
    } else {
      break;
    }
    code_point = code_point * (hex ? 16 : 10) + static_cast<std::uint32_t>(value);
  }
  if (digits == 0 || i >= html.size() || html[i] != ';') return 0;
  decoded.clear();
  // A reference to a control character or a no-break space is white space like any other.
  const bool space = code_point < 0x20 || code_point == 0x7F || code_point == 0xA0;
  AppendCodePoint(decoded, space ? ' ' : code_point);
  return i + 1 - at;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string HtmlToText(std::string_view html) {
  TextBuilder text;
  std::size_t at = 0;
  while (at < html.size()) {
    const char c = html[at];
    if (c == '<') {
      if (StartsWithNoCase(html, at, "<!--")) {
        const std::size_t end = html.find("-->", at + 4);
        at = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const std::size_t close = html.find('>', at + 1);
      if (close == std::string_view::npos) break;  // a cut tag: drop the rest
      std::size_t name_start = at + 1;
      const bool end_tag = name_start < close && html[name_start] == '/';
      if (end_tag) ++name_start;
      std::size_t name_end = name_start;
      while (name_end < close && IsAsciiAlnum(html[name_end])) {
        ++name_end;
      }
      const std::string name = AsciiLower(html.substr(name_start, name_end - name_start));
      at = close + 1;
      if (!end_tag && (name == "script" || name == "style" || name == "title")) {
        const std::string end_marker = "</" + name;
        std::size_t end = at;
        while (end < html.size() && !StartsWithNoCase(html, end, end_marker)) ++end;
        const std::size_t end_close = html.find('>', end);
        at = end_close == std::string_view::npos ? html.size() : end_close + 1;
        continue;
      }
      const bool heading = name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
      if (name == "br") {
        text.Newline();
      } else if (name == "div" || name == "li" || name == "tr" || name == "dt" || name == "dd") {
        text.EndLine();
      } else if (name == "p" || heading || name == "ul" || name == "ol" || name == "table" ||
                 name == "blockquote" || name == "hr" || name == "pre") {
        text.BlankLine();
      } else if (name == "td" || name == "th") {
        text.Space();
      }
      continue;
    }
    if (c == '&') {
      std::string decoded;
      const std::size_t consumed = DecodeEntity(html, at, decoded);
      if (consumed > 0) {
        if (decoded == " ") {
          text.Space();
        } else {
          text.Append(decoded);
        }
        at += consumed;
        continue;
      }
    }
    if (IsHtmlSpace(c)) {
      text.Space();
      ++at;
      continue;
    }
    std::size_t run_end = at + 1;
    while (run_end < html.size() && html[run_end] != '<' && html[run_end] != '&' &&
           !IsHtmlSpace(html[run_end])) {
      ++run_end;
    }
    text.Append(html.substr(at, run_end - at));
    at = run_end;
  }
  return text.Take();
}

// ---------------------------------------------------------------------------------------------
// Headers.

struct Sender {
  std::string address;
  std::string name;
};

Sender FirstSender(GMimeMessage* message) {
  Sender sender;
  InternetAddressList* list = g_mime_message_get_from(message);  // owned by the message
  if (list == nullptr || internet_address_list_length(list) == 0) return sender;
  InternetAddress* address = internet_address_list_get_address(list, 0);
  if (INTERNET_ADDRESS_IS_GROUP(address)) {
    InternetAddressList* members =
        internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address));
    if (members == nullptr || internet_address_list_length(members) == 0) return sender;
    address = internet_address_list_get_address(members, 0);
  }
  if (!INTERNET_ADDRESS_IS_MAILBOX(address)) return sender;
  sender.name = OneLine(SanitizeUtf8(internet_address_get_name(address)));
  sender.address =
      OneLine(SanitizeUtf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))));
  const std::size_t at = sender.address.rfind('@');
  if (at != std::string::npos) {
    sender.address = sender.address.substr(0, at + 1) + AsciiLower(sender.address.substr(at + 1));
  }
  return sender;
}

// Whether the message has at least one header every e-mail has one of: without any, the bytes
// are garbage or a bare MIME part, not something a person sent.
bool HasMessageHeader(GMimeMessage* message) {
  static constexpr std::array<const char*, 12> kHeaders = {
      "From", "Sender",     "Reply-To", "To",          "Cc",           "Subject",
      "Date", "Message-ID", "Received", "Return-Path", "MIME-Version", "In-Reply-To"};
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  if (headers == nullptr) return false;
  for (const char* name : kHeaders) {
    if (g_mime_header_list_contains(headers, name)) return true;
  }
  return false;
}

// A header's value on one line, or "" when the header is absent.
std::string HeaderValue(GMimeMessage* message, const char* name) {
  return OneLine(SanitizeUtf8(g_mime_object_get_header(GMIME_OBJECT(message), name)));
}

bool IsPlainMessageId(std::string_view id) {
  if (id.empty() || id.size() > 250) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return c > 0x20 && c < 0x7F && c != '<' && c != '>' && c != '"' && c != '\\';
  });
}

// The identifiers between angle brackets, the last `keep` of them.
std::vector<std::string> MessageIds(std::string_view text, std::size_t keep) {
  std::vector<std::string> ids;
  std::size_t at = 0;
  while ((at = text.find('<', at)) != std::string_view::npos) {
    const std::size_t end = text.find('>', at + 1);
    if (end == std::string_view::npos) break;
    const std::string_view id = text.substr(at + 1, end - at - 1);
    if (IsPlainMessageId(id)) ids.emplace_back(id);
    at = end + 1;
  }
  if (ids.size() > keep) ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(keep));
  return ids;
}

bool IsAutomated(GMimeMessage* message) {
  const std::string auto_submitted = AsciiLower(HeaderValue(message, "Auto-Submitted"));
  if (!auto_submitted.empty() && auto_submitted.rfind("no", 0) != 0) return true;
  const std::string precedence = AsciiLower(HeaderValue(message, "Precedence"));
  if (precedence == "bulk" || precedence == "list" || precedence == "junk" ||
      precedence == "auto_reply") {
    return true;
  }
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  for (const char* name : {"List-Id", "List-Post", "List-Unsubscribe", "X-Auto-Response-Suppress",
                           "X-Autoreply", "X-Autorespond"}) {
    if (headers != nullptr && g_mime_header_list_contains(headers, name)) return true;
  }
  return false;
}

std::optional<UnixMillis> MessageDate(GMimeMessage* message) {
  GDateTime* date = g_mime_message_get_date(message);  // owned by the message
  if (date == nullptr) return std::nullopt;
  return static_cast<UnixMillis>(g_date_time_to_unix(date)) * 1000;
}

// ---------------------------------------------------------------------------------------------
// The walk over the MIME tree.

struct Body {
  std::string plain;      // text/plain parts joined
  std::string html;       // text/html parts joined, still HTML
  std::string forwarded;  // the sections of forwarded messages
  bool has_plain = false;
  bool has_html = false;
};

void AppendSection(std::string& to, std::string_view section) {
  section = TrimSpace(section);
  if (section.empty()) return;
  if (!to.empty()) to += "\n\n";
  to += section;
}

Status TextTooLarge(const EmailLimits& limits) {
  return Status(
      ErrorCode::kPayloadTooLarge,
      "the text of the message is longer than " + std::to_string(limits.max_text_bytes) + " bytes",
      "text");
}

class Walker {
 public:
  explicit Walker(const EmailLimits& limits) : limits_(limits) {}

  Status Walk(GMimeObject* object, int depth, Body& body) {
    if (object == nullptr) return Status::Ok();
    if (depth > limits_.max_nesting_depth) {
      return InvalidArgument("the message is nested more than " +
                                 std::to_string(limits_.max_nesting_depth) + " levels deep",
                             "message");
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      return WalkForwarded(GMIME_MESSAGE_PART(object), depth, body);
    }
    if (GMIME_IS_MULTIPART(object)) return WalkMultipart(GMIME_MULTIPART(object), depth, body);
    if (GMIME_IS_PART(object)) return WalkLeaf(GMIME_PART(object), body);
    return Status::Ok();  // a message/partial or another kind we do not read
  }

  // The text of a body: its plain text, else its HTML reduced, then what it forwards.
  std::string Compose(const Body& body) const {
    std::string text;
    AppendSection(text, body.has_plain ? body.plain : HtmlToText(body.html));
    AppendSection(text, body.forwarded);
    return text;
  }

  std::vector<EmailAttachment> TakeAttachments() { return std::move(attachments_); }

 private:
  Status WalkMultipart(GMimeMultipart* multipart, int depth, Body& body) {
    const int count = g_mime_multipart_get_count(multipart);
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(multipart));
    const bool alternative =
        type != nullptr && g_mime_content_type_is_type(type, "multipart", "alternative");
    if (count == 0) {
      // No part found (no boundary parameter, or a boundary never used): GMime keeps the
      // content as the prologue, which is then the best text there is.
      const char* prologue = g_mime_multipart_get_prologue(multipart);
      const std::string text = prologue == nullptr ? std::string() : TextToUtf8(prologue, nullptr);
      if (!TrimSpace(text).empty()) {
        body.has_plain = true;
        AppendSection(body.plain, text);
      }
      return CheckText(body.plain);
    }
    if (!alternative) {
      for (int i = 0; i < count; ++i) {
        RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, i), depth + 1, body));
      }
      return Status::Ok();
    }
    // Alternatives say the same thing: keep the first plain and the first HTML rendering, but
    // every attachment and forwarded message any of them carries.
    Body chosen;
    for (int i = 0; i < count; ++i) {
      Body alternative_body;
      RETURN_IF_ERROR(Walk(g_mime_multipart_get_part(multipart, i), depth + 1, alternative_body));
      if (alternative_body.has_plain && !chosen.has_plain) {
        chosen.has_plain = true;
        chosen.plain = std::move(alternative_body.plain);
      }
      if (alternative_body.has_html && !chosen.has_html) {
        chosen.has_html = true;
        chosen.html = std::move(alternative_body.html);
      }
      AppendSection(chosen.forwarded, alternative_body.forwarded);
    }
    Merge(std::move(chosen), body);
    return Status::Ok();
  }

  static void Merge(Body from, Body& into) {
    if (from.has_plain) {
      into.has_plain = true;
      AppendSection(into.plain, from.plain);
    }
    if (from.has_html) {
      into.has_html = true;
      if (!into.html.empty()) into.html += "<br>";
      into.html += from.html;
    }
    AppendSection(into.forwarded, from.forwarded);
  }

  Status WalkForwarded(GMimeMessagePart* part, int depth, Body& body) {
    GMimeMessage* message = g_mime_message_part_get_message(part);  // owned by the part
    if (message == nullptr) return Status::Ok();
    Body inner;
    RETURN_IF_ERROR(Walk(g_mime_message_get_mime_part(message), depth + 1, inner));
    std::string section = "--- forwarded message ---\n";
    const Sender sender = FirstSender(message);
    if (!sender.address.empty() || !sender.name.empty()) {
      section += "From: " + sender.name;
      if (!sender.address.empty()) {
        section += sender.name.empty() ? sender.address : " <" + sender.address + ">";
      }
      section += '\n';
    }
    if (const auto date = MessageDate(message)) section += "Date: " + FormatIso8601(*date) + "\n";
    const std::string subject = OneLine(SanitizeUtf8(g_mime_message_get_subject(message)));
    if (!subject.empty()) section += "Subject: " + subject + "\n";
    section += '\n';
    section += Compose(inner);
    if (!body.forwarded.empty()) body.forwarded += "\n\n";
    body.forwarded += section;
    return CheckText(body.forwarded);
  }

  Status WalkLeaf(GMimePart* part, Body& body) {
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const bool plain = type != nullptr && g_mime_content_type_is_type(type, "text", "plain");
    const bool html = type != nullptr && g_mime_content_type_is_type(type, "text", "html");
    const char* filename = g_mime_part_get_filename(part);
    const bool named = filename != nullptr && filename[0] != '\0';
    if ((plain || html) && !g_mime_part_is_attachment(part) && !named) {
      std::string text = DecodedText(part);
      if (plain) {
        body.has_plain = true;
        AppendSection(body.plain, text);
        return CheckText(body.plain);
      }
      // Markup is not limited: an HTML newsletter may be far longer than its text.
      body.has_html = true;
      if (!body.html.empty()) body.html += "<br>";
      body.html += text;
      return Status::Ok();
    }
    return AddAttachment(part, type, filename);
  }

  Status AddAttachment(GMimePart* part, GMimeContentType* type, const char* filename) {
    if (attachments_.size() >= limits_.max_attachments) {
      return Status(
          ErrorCode::kPayloadTooLarge,
          "the message has more than " + std::to_string(limits_.max_attachments) + " attachments",
          "attachments");
    }
    EmailAttachment attachment;
    attachment.filename = OneLine(SanitizeUtf8(filename));
    if (type != nullptr) {
      GCharPtr mime_type(g_mime_content_type_get_mime_type(type));
      if (mime_type != nullptr) attachment.content_type = AsciiLower(SanitizeUtf8(mime_type.get()));
    }
    attachment.data = DecodedContent(part);
    // Kept, flagged: the caller files the text and keeps this file aside for a human.
    attachment.too_large = attachment.data.size() > limits_.max_attachment_bytes;
    attachments_.push_back(std::move(attachment));
    return Status::Ok();
  }

  // Stops the walk early when the text alone is already too long to keep.
  Status CheckText(const std::string& text) const {
    if (text.size() <= limits_.max_text_bytes) return Status::Ok();
    return TextTooLarge(limits_);
  }

  const EmailLimits& limits_;
  std::vector<EmailAttachment> attachments_;
};

}  // namespace

Result<EmailMessage> ParseEmail(std::string_view raw, const EmailLimits& limits) {
  if (raw.size() > limits.max_message_bytes) {
    return Status(
        ErrorCode::kPayloadTooLarge,
        "the message is larger than " + std::to_string(limits.max_message_bytes) + " bytes",
        "message");
  }
  // Mailbox exports start with an mbox "From sender date" line, which is not a header.
  if (raw.substr(0, 5) == "From ") {
    const std::size_t newline = raw.find('\n');
    raw = newline == std::string_view::npos ? std::string_view() : raw.substr(newline + 1);
  }
  if (TrimSpace(raw).empty()) return InvalidArgument("the message is empty", "message");

  InitGMimeOnce();
  // Declared before the message: the message's header lists point into these options.
  std::unique_ptr<GMimeParserOptions, ParserOptionsFree> options(g_mime_parser_options_new());
  // Unencoded 8-bit headers: UTF-8 if valid, else what Western senders' mailers use.
  const char* fallback_charsets[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback_charsets);

  GPtr<GMimeMessage> message;
  {
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    message.reset(g_mime_parser_construct_message(parser.get(), options.get()));
  }
  if (message == nullptr)
    return InvalidArgument("the bytes are not an e-mail message: no e-mail headers", "message");
  if (!HasMessageHeader(message.get())) {
    return InvalidArgument("the message has no e-mail headers (From, To, Subject, Date...)",
                           "message");
  }

  EmailMessage email;
  const Sender sender = FirstSender(message.get());
  email.from_address = sender.address;
  email.from_name = sender.name;
  email.subject = OneLine(SanitizeUtf8(g_mime_message_get_subject(message.get())));
  email.message_id = OneLine(SanitizeUtf8(g_mime_message_get_message_id(message.get())));
  email.date = MessageDate(message.get());
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
  if (headers != nullptr && g_mime_header_list_contains(headers, "Return-Path")) {
    const std::string return_path = HeaderValue(message.get(), "Return-Path");
    const auto ids = MessageIds(return_path, 1);
    email.return_path = ids.empty() ? std::string() : AsciiLower(ids.front());
  }
  email.automated = IsAutomated(message.get());
  email.references = MessageIds(HeaderValue(message.get(), "References"), 10);

  Walker walker(limits);
  Body body;
  RETURN_IF_ERROR(walker.Walk(g_mime_message_get_mime_part(message.get()), 0, body));
  email.text = walker.Compose(body);
  if (email.text.size() > limits.max_text_bytes) return TextTooLarge(limits);
  email.attachments = walker.TakeAttachments();
  if (email.text.empty() && email.attachments.empty()) {
    return InvalidArgument("the message has neither text nor an attachment", "message");
  }
  return email;
}

std::string WhyNoAcknowledgement(const EmailMessage& email) {
  const std::size_t at = email.from_address.rfind('@');
  if (at == std::string::npos || at == 0) return "no sender address";
  const std::string local = AsciiLower(email.from_address.substr(0, at));
  if (email.return_path && email.return_path->empty()) return "a bounce (empty envelope sender)";
  for (const std::string& sender : {local, email.return_path.value_or("")}) {
    const std::string local_part = sender.substr(0, sender.rfind('@'));
    if (local_part == "mailer-daemon" || local_part == "postmaster") return "a bounce";
  }
  if (email.automated) return "sent automatically (auto-reply, list or bulk)";
  return {};
}

std::string ComposeAcknowledgement(const Acknowledgement& ack) {
  InitGMimeOnce();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, nullptr, ack.from.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, ack.to.c_str());
  std::string subject = "Signalement reçu / Report received";
  if (!ack.subject.empty()) {
    const std::string original(OneLine(SanitizeUtf8(ack.subject.substr(0, 200))));
    const bool is_reply = AsciiLower(original.substr(0, 3)) == "re:";
    subject = (is_reply ? "" : "Re: ") + original;
  }
  g_mime_message_set_subject(message.get(), subject.c_str(), "utf-8");
  GDateTime* now = g_date_time_new_now_utc();
  g_mime_message_set_date(message.get(), now);
  g_date_time_unref(now);
  const std::size_t at = ack.from.find('@');
  GCharPtr id(g_mime_utils_generate_message_id(
      at == std::string::npos ? "psea.invalid" : ack.from.c_str() + at + 1));
  g_mime_message_set_message_id(message.get(), id.get());
  GMimeObject* object = GMIME_OBJECT(message.get());
  // RFC 3834: an automatic reply, which other programs must not answer.
  g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
  if (IsPlainMessageId(ack.in_reply_to)) {
    const std::string in_reply_to = "<" + ack.in_reply_to + ">";
    std::string references;
    for (const auto& reference : ack.references) {
      if (IsPlainMessageId(reference) && reference != ack.in_reply_to) {
        references += "<" + reference + "> ";
      }
    }
    references += in_reply_to;
    g_mime_object_set_header(object, "In-Reply-To", in_reply_to.c_str(), nullptr);
    g_mime_object_set_header(object, "References", references.c_str(), nullptr);
  }
  const std::string text =
      "Bonjour,\n\n"
      "Votre message a bien été reçu par l’équipe Déontologie et discipline. Votre code de "
      "suivi est :\n\n    " +
      ack.receipt_code +
      "\n\n"
      "Gardez ce code pour vous et ne transférez pas ce message : quiconque a ce code peut, "
      "sur la page « Suivi » du site de signalement de la mission, voir où en est le "
      "signalement, lire les messages de l’équipe et lui en envoyer. Si vous n’avez pas écrit ce "
      "courriel, ignorez ce message.\n\n"
      "Ce message est envoyé automatiquement.\n\n"
      "----\n\n"
      "Hello,\n\n"
      "Your message was received by the Conduct and Discipline Team. Your follow-up code "
      "is:\n\n    " +
      ack.receipt_code +
      "\n\n"
      "Keep this code to yourself and do not forward this message: anyone who has the code "
      "can, on the \"Follow-up\" page of the mission's reporting site, see the status of the "
      "report, read the team's messages and send it more. If you did not write this e-mail, ignore "
      "this message.\n\n"
      "This message was sent automatically.\n";
  GPtr<GMimeTextPart> body(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_charset(body.get(), "utf-8");
  g_mime_text_part_set_text(body.get(), text.c_str());
  g_mime_part_set_content_encoding(GMIME_PART(body.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(body.get()));
  GCharPtr bytes(g_mime_object_to_string(object, nullptr));
  return bytes ? std::string(bytes.get()) : std::string();
}

std::string ComposeEmail(const std::string& from, const std::vector<std::string>& to,
                         const std::string& subject, const std::string& text) {
  InitGMimeOnce();
  GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, "psea", from.c_str());
  for (const auto& address : to) {
    g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, address.c_str());
  }
  g_mime_message_set_subject(message.get(), subject.c_str(), "utf-8");
  GDateTime* now = g_date_time_new_now_utc();
  g_mime_message_set_date(message.get(), now);
  g_date_time_unref(now);
  const std::size_t at = from.find('@');
  GCharPtr id(g_mime_utils_generate_message_id(at == std::string::npos ? "psea.invalid"
                                                                       : from.c_str() + at + 1));
  g_mime_message_set_message_id(message.get(), id.get());
  GPtr<GMimeTextPart> body(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_text(body.get(), text.c_str());
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(body.get()));
  GCharPtr bytes(g_mime_object_to_string(GMIME_OBJECT(message.get()), nullptr));
  return bytes ? std::string(bytes.get()) : std::string();
}

}  // namespace psea::intake

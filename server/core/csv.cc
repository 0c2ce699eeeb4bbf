#include "core/csv.h"

namespace psea::csv {

std::string Text(std::string_view text) {
  const bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
                                         text[0] == '@' || text[0] == '\t' || text[0] == '\r');
  const bool needs_quotes = formula || text.find_first_of(",\"\r\n") != std::string_view::npos ||
                            (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!needs_quotes) return std::string(text);
  std::string out = "\"";
  if (formula) out += '\'';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Number(std::int64_t value) { return std::to_string(value); }

Writer& Writer::Field(std::string encoded) {
  if (row_started_) out_ += ',';
  out_ += encoded;
  row_started_ = true;
  return *this;
}

Writer& Writer::EndRow() {
  out_ += "\r\n";
  row_started_ = false;
  return *this;
}

}  // namespace psea::csv

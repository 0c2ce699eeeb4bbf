// How a reporter reaches the team other than through this server: the installation's free
// hotlines, its reporting e-mail address and a short contact text (--public-hotlines,
// --public-email, --public-contact-text). The public page and the SMS replies show them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace psea::intake {

struct ReportingContact {
  std::vector<std::string> hotlines = {"4044", "4445"};  // MINUSCA's free numbers
  std::string email;                                     // empty: none shown
  std::string text;                                      // empty: none shown
};

// The reply to an SMS report: its receipt code and how else to reach the team, in French then
// English. Plain ASCII where psea writes it (cheap phones mangle the rest); the contact text is
// sent as the installation wrote it.
std::string SmsReceiptReply(std::string_view receipt_code, const ReportingContact& contact);

}  // namespace psea::intake

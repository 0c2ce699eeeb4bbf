#include "modules/intake/contact.h"

namespace psea::intake {

std::string SmsReceiptReply(std::string_view receipt_code, const ReportingContact& contact) {
  std::string reply = "Merci, message recu. Code de suivi: ";
  reply += receipt_code;
  reply += " (gardez-le secret).";
  if (!contact.hotlines.empty()) {
    reply += " Lignes gratuites ";
    for (std::size_t i = 0; i < contact.hotlines.size(); ++i) {
      if (i > 0) reply += " / ";
      reply += contact.hotlines[i];
    }
    reply += ".";
  }
  if (!contact.email.empty()) reply += " Courriel: " + contact.email + ".";
  if (!contact.text.empty()) reply += " " + contact.text;
  reply += " / Thank you. Follow-up code: ";
  reply += receipt_code;
  return reply;
}

}  // namespace psea::intake

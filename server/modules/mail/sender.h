// How a message leaves psea: the one interface the outbox sends through, and sendmail.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace psea::mail {

// Hands one message to the mail system. Called from one thread at a time.
class MailSender {
 public:
  virtual ~MailSender() = default;
  // OK once the mail system accepted the message; otherwise kUnavailable saying why (the
  // outbox keeps the message and tries again later).
  virtual Status Send(const std::string& message) = 0;
};

// Runs `command` (e.g. "/usr/sbin/sendmail -t -oi") through the shell with the message on its
// standard input; accepted when the command exits 0. The recipients are the message's To.
std::unique_ptr<MailSender> SendmailSender(std::string command);

}  // namespace psea::mail

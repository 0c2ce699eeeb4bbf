// Urgent complaints alert the CDT by e-mail as well as in the app, when an address is
// configured: a short message with the reference, the channel and which risk, and nothing
// that identifies anyone, handed to the local mail server's sendmail.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "modules/intake/model.h"

namespace psea::app {

// Runs `command` (e.g. "/usr/sbin/sendmail -t -oi") with the message on its standard input, on
// a thread of its own so that the report that caused it is answered at once.
std::function<void(const intake::Complaint&)> SendmailAlerts(std::string command, std::string from,
                                                             std::vector<std::string> to);

// The message, for tests and for the log.
std::string UrgentAlertText(const intake::Complaint& complaint);

}  // namespace psea::app

#include "app/alerts.h"

#include <cstdio>
#include <thread>

#include "core/log.h"
#include "modules/intake/email_message.h"

namespace psea::app {

std::string UrgentAlertText(const intake::Complaint& complaint) {
  std::string risks;
  auto add = [&](bool flag, const char* what) {
    if (flag) risks += std::string(risks.empty() ? "" : ", ") + what;
  };
  add(complaint.risk_child, "a child / un enfant");
  add(complaint.risk_danger, "someone in danger now / danger immediat");
  add(complaint.risk_medical, "medical care within 72 hours / soins sous 72 heures");
  return "An urgent complaint was received. Open the intake queue in psea.\n"
         "Une plainte urgente a ete recue. Ouvrez la file des plaintes dans psea.\n\n"
         "Reference: " +
         complaint.reference + "\n" + "Received / recue: " + FormatIso8601(complaint.received_at) +
         "\n" + "Channel / canal: " + std::string(intake::ChannelName(complaint.channel)) + "\n" +
         "Why urgent / urgence: " + risks + "\n";
}

std::function<void(const intake::Complaint&)> SendmailAlerts(std::string command, std::string from,
                                                             std::vector<std::string> to) {
  return [command = std::move(command), from = std::move(from),
          to = std::move(to)](const intake::Complaint& complaint) {
    std::string message = intake::ComposeEmail(
        from, to, "psea: urgent complaint " + complaint.reference, UrgentAlertText(complaint));
    const std::string reference = complaint.reference;
    std::thread([command, message = std::move(message), reference] {
      FILE* pipe = ::popen(command.c_str(), "w");
      bool sent = pipe != nullptr;
      if (pipe) {
        sent = std::fwrite(message.data(), 1, message.size(), pipe) == message.size();
        sent = ::pclose(pipe) == 0 && sent;
      }
      if (sent) {
        log::Info("urgent_alert_sent", {{"complaint", reference}});
      } else {
        // The alert in the app stays; the mail server's failure is an operator's problem.
        log::Warn("urgent_alert_failed", {{"complaint", reference}, {"command", command}});
      }
    }).detach();
  };
}

}  // namespace psea::app

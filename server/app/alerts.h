// E-mail from the server to the CDT, when an address is configured (--alert-email-to):
//  - urgent complaints: a short message with the reference, the channel and which risk, and
//    nothing that identifies anyone;
//  - the audit anchor (the audit head's ID:HASH), at start and every 24 hours, so that a copy
//    of it lives off the server for `psea audit verify --anchor ID:HASH`.
// Every message goes through one MailQueue: one bounded queue and one worker thread that hands
// messages to the local mail server. A request never waits for mail and never starts a thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/intake/model.h"
#include "security/audit.h"
#include "security/readers.h"

namespace psea::app {

// Hands one message to the mail system. Called on the MailQueue's worker thread only.
class MailSender {
 public:
  virtual ~MailSender() = default;
  // True once the mail system accepted the message.
  virtual bool Send(const std::string& message) = 0;
};

// Runs `command` (e.g. "/usr/sbin/sendmail -t -oi") through the shell with the message on its
// standard input; accepted when the command exits 0.
std::unique_ptr<MailSender> SendmailSender(std::string command);

class MailQueue {
 public:
  static constexpr std::size_t kDefaultCapacity = 64;
  static constexpr std::chrono::milliseconds kDefaultDrainLimit{5000};

  // Starts the worker thread. `tick_every`: how often the worker runs the tick (SetTick).
  explicit MailQueue(std::unique_ptr<MailSender> sender, std::size_t capacity = kDefaultCapacity,
                     std::chrono::milliseconds tick_every = std::chrono::minutes(1));
  // Stop(kDefaultDrainLimit).
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // Queues a message; never waits for the mail system. False when the queue is full or
  // stopped: the message is dropped, with a logged warning naming `label` (never the text)
  // and one more in dropped(). Thread-safe.
  bool Enqueue(std::string label, std::string message);

  // Runs `tick` on the worker thread every tick_every (the first time at once), between
  // messages. Replaces an earlier tick. Thread-safe.
  void SetTick(std::function<void()> tick);

  // Takes no more messages, sends those queued for at most `limit`, then ends the worker.
  // What is still queued at the limit is dropped (counted, logged); a sender still busy then is
  // left to finish on its own (its thread is detached, owning what it uses). Idempotent.
  void Stop(std::chrono::milliseconds limit = kDefaultDrainLimit);

  std::uint64_t sent() const;
  std::uint64_t failed() const;   // the mail system refused
  std::uint64_t dropped() const;  // never handed over: queue full or stopped

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// What the intake calls for an urgent complaint: composes the alert and queues it.
std::function<void(const intake::Complaint&)> UrgentAlerts(MailQueue& queue, std::string from,
                                                           std::vector<std::string> to);

// What a change of readers sends to the alert address (the readers' announcement by e-mail;
// the application shows the same change to every reader). User names only, never a record.
std::function<void(const security::ReaderChange&)> ReaderChangeAlerts(MailQueue& queue,
                                                                      std::string from,
                                                                      std::vector<std::string> to);
std::string ReaderChangeText(const security::ReaderChange& change);

// The urgent alert's text, for tests and for the log.
std::string UrgentAlertText(const intake::Complaint& complaint);

// Mails the audit anchor: Poll() (run as the queue's tick) queues one when none was queued
// yet or the last one is 24 hours old. A head that cannot be read or a full queue is tried
// again at the next Poll.
class AnchorMailer {
 public:
  using ReadHead = std::function<Result<security::AuditAnchor>()>;
  static constexpr std::int64_t kEveryMillis = 24 * 60 * 60 * 1000;

  AnchorMailer(ReadHead read_head, const Clock& clock, MailQueue& queue, std::string from,
               std::vector<std::string> to);
  void Poll();

  static std::string Text(const security::AuditAnchor& head, UnixMillis at);

 private:
  ReadHead read_head_;
  const Clock& clock_;
  MailQueue& queue_;
  std::string from_;
  std::vector<std::string> to_;
  std::optional<UnixMillis> last_queued_;
};

// "a@x, b@y" -> {"a@x", "b@y"}.
std::vector<std::string> SplitAddresses(const std::string& text);

}  // namespace psea::app

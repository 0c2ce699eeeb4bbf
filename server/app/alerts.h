// E-mail from the server to the CDT, when an address is configured (--alert-email-to):
//  - urgent complaints: a short message with the reference, the channel and which risk, and
//    nothing that identifies anyone;
//  - the audit anchor (the audit head's ID:HASH), at start and every 24 hours, so that a copy
//    of it lives off the server for `psea audit verify --anchor ID:HASH`.
// Every message is first a row of the mail outbox (modules/mail): MailQueue writes it there
// and one worker thread hands the outbox's due messages to the mail system, retrying those it
// refuses (modules/mail/service.h). A request never waits for the mail system.
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
#include "modules/mail/sender.h"
#include "modules/mail/service.h"
#include "security/audit.h"
#include "security/readers.h"
#include "storage/database.h"

namespace psea::app {

using mail::MailSender;
using mail::SendmailSender;

class MailQueue {
 public:
  // Messages kept in memory when the outbox cannot be written (a busy database), written by
  // the worker as soon as it can.
  static constexpr std::size_t kDefaultCapacity = 64;
  static constexpr std::chrono::milliseconds kDefaultDrainLimit{5000};
  // The longest the worker sleeps between looks at the outbox (other processes put there too).
  static constexpr std::chrono::milliseconds kIdlePoll{30000};

  // Starts the worker thread, which sends what this process queues (Enqueue, Wake) and what
  // else is due then. `tick_every`: how often the worker runs the tick (SetTick). `outbox`
  // must outlive the queue.
  MailQueue(mail::MailOutbox& outbox, std::unique_ptr<MailSender> sender,
            std::size_t capacity = kDefaultCapacity,
            std::chrono::milliseconds tick_every = std::chrono::minutes(1));
  // Stop(kDefaultDrainLimit).
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // Writes the message to the outbox (a transaction of its own: never call it inside a write
  // transaction; use EnqueueIn) and wakes the worker; never waits for the mail system. After
  // Stop the message is still written, for the next process to send. When the outbox cannot
  // be written, the message waits in memory for the worker to write it; false when that is
  // full too or the queue is stopped: the message is dropped, with a logged warning naming
  // `label` (never the text) and one more in dropped(). Thread-safe.
  bool Enqueue(std::string label, std::string message);
  // Writes the message to the outbox inside the caller's transaction; call Wake() once it
  // committed.
  Status EnqueueIn(storage::Connection& c, const std::string& label, const std::string& message);
  // Makes the worker look at the outbox now.
  void Wake();
  // From now on the worker also sends the messages already pending in the outbox, at once and
  // then as they fall due, and deletes those sent a month ago (the server does this; a
  // command-line tool sends only what it queued, and what is due then).
  void Resume();

  // Runs `tick` on the worker thread every tick_every (the first time at once), between
  // messages. Replaces an earlier tick. Thread-safe.
  void SetTick(std::function<void()> tick);

  // Takes no more messages, sends those due now for at most `limit`, then ends the worker.
  // What is still due at the limit stays in the outbox (sent by the next process that runs a
  // worker, or `psea mail send`); a sender still busy then is left to finish on its own (its
  // thread is detached and touches nothing of the outbox after). Idempotent.
  void Stop(std::chrono::milliseconds limit = kDefaultDrainLimit);

  std::uint64_t sent() const;
  std::uint64_t failed() const;    // attempts the mail system refused (each tried again)
  std::uint64_t given_up() const;  // refused for 24 hours: kept in the outbox, status failed
  std::uint64_t dropped() const;   // never written to the outbox: memory full or stopped

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

// The mail lines of /metrics: the queue's counters (zero without a queue) and, when `counts`
// is given, the outbox's pending and failed messages.
std::string RenderMailMetrics(const MailQueue* queue, const mail::OutboxCounts* counts);

// "a@x, b@y" -> {"a@x", "b@y"}.
std::vector<std::string> SplitAddresses(const std::string& text);

}  // namespace psea::app

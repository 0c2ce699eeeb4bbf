// The public reporting pages. Safe on a shared phone: a neutral title, no cookies, nothing
// from another site, a quick exit on every page, the receipt code never in a URL (it is only
// ever POSTed), and plain HTML forms that need no JavaScript. Each page is a few kilobytes.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/utf8.h"
#include "http/json.h"
#include "modules/intake/handlers.h"

namespace psea::intake {

using http::HttpResponse;
using http::RequestContext;

namespace {

// Every text the pages take from the catalogs (data/i18n/report/<code>.json). A key added here
// is added to fr.json (the fallback) in the same change; the other catalogs may lag behind.
const std::vector<std::string_view> kKeys = {
    "title", "quick_exit", "intro", "hotlines", "email_line", "review_note", "what_happened",
    "what_happened_hint", "who", "where", "choose", "town", "when", "when_hint", "victim",
    "age_group", "sex", "person", "risks", "risk_child", "risk_danger", "risk_medical", "you",
    "anonymous", "named", "name", "phone", "email", "consent", "contact_by", "send", "thanks",
    "your_code", "keep_code", "follow_up", "code", "see", "status", "messages", "from_you",
    "from_team", "write", "no_messages", "error_prefix", "status_received", "status_assessed",
    "status_referred", "status_referred_elsewhere", "status_closed", "status_investigating",
    "status_concluded", "too_many", "unknown_code", "busy_title", "busy_call", "busy_retry",
    "list_and", "list_or", "shared_code", "new_code_button", "new_code_title", "new_code_keep",
    // The choices of the form's lists: "<list>.<value>".
    "relation.victim", "relation.witness", "relation.family", "relation.community_member",
    "relation.staff", "relation.partner_organisation", "relation.anonymous", "age_group.unknown",
    "age_group.minor", "age_group.adult", "sex.unknown", "sex.female", "sex.male", "sex.other",
    "person.unknown", "person.military", "person.police", "person.civilian",
    "person.implementing_partner", "person.contractor", "contact.phone", "contact.sms",
    "contact.email",
    // What the service's validation found, per field of the form; "{n}" is a person's number.
    "error.narrative", "error.reporter_relation", "error.contact_method", "error.incident_date",
    "error.place", "error.town", "error.victim_age_group", "error.victim_sex", "error.victim_age",
    "error.victim_name", "error.perpetrator_category", "error.reporter_name",
    "error.reporter_phone", "error.reporter_email", "error.message", "error.form", "error.general"};

// A list of the form: its name (the catalog keys' prefix) and its values, in order.
struct Choices {
  std::string_view list;
  std::vector<std::string_view> values;
};

const Choices kRelations = {"relation",
                            {"victim", "witness", "family", "community_member", "staff",
                             "partner_organisation", "anonymous"}};
const Choices kAgeGroups = {"age_group", {"unknown", "minor", "adult"}};
const Choices kSexes = {"sex", {"unknown", "female", "male", "other"}};
const Choices kPersons = {
    "person", {"unknown", "military", "police", "civilian", "implementing_partner", "contractor"}};
const Choices kContactMethods = {"contact", {"phone", "sms", "email"}};

// The service's field paths (indexes removed) -> the catalog's message; any other field gets
// "error.general".
constexpr std::pair<std::string_view, std::string_view> kFieldMessages[] = {
    {"narrative", "error.narrative"},
    {"reporter_relation", "error.reporter_relation"},
    {"contact_method", "error.contact_method"},
    {"incident_date", "error.incident_date"},
    {"incident_date_precision", "error.incident_date"},
    {"prefecture", "error.place"},
    {"sub_prefecture", "error.place"},
    {"town", "error.town"},
    {"victims[].age_group", "error.victim_age_group"},
    {"victims[].sex", "error.victim_sex"},
    {"victims[].age", "error.victim_age"},
    {"victims[].name", "error.victim_name"},
    {"perpetrators[].category", "error.perpetrator_category"},
    {"reporter_name", "error.reporter_name"},
    {"reporter_phone", "error.reporter_phone"},
    {"reporter_email", "error.reporter_email"},
    {"message", "error.message"},
    {"form", "error.form"},
};

constexpr std::string_view kStyle =
    "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}"
    "main{max-width:36rem;margin:0 auto;padding:0 1rem 2rem}"
    "header{display:flex;justify-content:space-between;align-items:center;gap:.5rem;"
    "padding:.5rem 1rem;border-bottom:1px solid #ddd}"
    ".exit{background:#b00020;color:#fff;padding:.6rem 1rem;border-radius:.3rem;"
    "text-decoration:none;font-weight:700}"
    ".exit:focus,a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid "
    "#1a5fb4;outline-offset:2px}"
    "label{display:block;margin:.9rem 0 .2rem;font-weight:600}"
    "fieldset{border:1px solid #ccc;border-radius:.3rem;margin:1rem 0;padding:.5rem .8rem}"
    "fieldset label{font-weight:400;margin:.3rem 0}"
    "input[type=text],input[type=tel],input[type=email],input[type=date],select,textarea"
    "{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #888;"
    "border-radius:.3rem}"
    "textarea{min-height:9rem}"
    "button{font:inherit;font-weight:700;padding:.7rem 1.4rem;margin-top:1rem;border:0;"
    "border-radius:.3rem;background:#1a5fb4;color:#fff}"
    ".hint{color:#555;font-size:.9rem;margin:.1rem 0}"
    ".error{border:2px solid #b00020;padding:.5rem .8rem;border-radius:.3rem}"
    ".code{font:700 1.6rem/1.3 monospace;letter-spacing:.1em;padding:.6rem;background:#f1f1f1;"
    "text-align:center;word-spacing:.3em}"
    ".msg{border-left:4px solid #ccc;padding:.2rem .8rem;margin:.6rem 0}"
    ".msg.team{border-color:#1a5fb4}nav a{margin-right:1rem}";

// The quick exit replaces this page in the history where scripts run; without scripts the link
// still leaves.
constexpr std::string_view kExitScript =
    "document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest("
    "'.exit');if(!a)return;e.preventDefault();location.replace(a.href)});"
    "document.addEventListener('keydown',function(e){if(e.key==='Escape'){var a="
    "document.querySelector('.exit');if(a)location.replace(a.href)}});";

constexpr std::string_view kExitTarget = "https://www.google.com/search?q=m%C3%A9t%C3%A9o";

// One language as served: the catalog's texts already escaped for HTML.
struct Language {
  std::string code;
  std::string name;
  bool needs_review = false;
  std::map<std::string, std::string, std::less<>> html;
};

// What every handler shares; immutable once the routes are registered.
struct PublicSite {
  std::vector<Language> languages;  // offered, the default first
  ReportingContact contact;
};

struct Page {
  const PublicSite* site = nullptr;
  const Language* language = nullptr;
  // The text of `key`, HTML-escaped; the key itself if no catalog has it.
  std::string_view T(std::string_view key) const {
    const auto found = language->html.find(key);
    return found == language->html.end() ? key : std::string_view(found->second);
  }
  std::string_view lang() const { return language->code; }
};

// "{name}" in `text` replaced with `value`.
std::string Fill(std::string_view text, std::string_view name, std::string_view value) {
  std::string out(text);
  const std::string placeholder = "{" + std::string(name) + "}";
  if (const auto at = out.find(placeholder); at != std::string::npos) {
    out.replace(at, placeholder.size(), value);
  }
  return out;
}

// "4044 et 4445", "1, 2 ou 3": the hotlines in the page's language.
std::string HotlineList(const Page& page, std::string_view joiner_key) {
  const auto& numbers = page.site->contact.hotlines;
  std::string out;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) {
      if (i + 1 == numbers.size()) {
        out += " ";
        out += page.T(joiner_key);
        out += " ";
      } else {
        out += ", ";
      }
    }
    out += EscapeMarkup(numbers[i]);
  }
  return out;
}

// The language asked for by the form or the query, else the first offered one the browser
// accepts, else the default.
Page PageFor(const PublicSite& site, const http::HttpRequest& request,
             const std::map<std::string, std::string>* form) {
  Page page{&site, &site.languages.front()};
  auto offered = [&site](std::string_view code) -> const Language* {
    for (const auto& language : site.languages) {
      if (language.code == code) return &language;
    }
    return nullptr;
  };
  std::string_view asked;
  if (form) {
    if (auto found = form->find("lang"); found != form->end()) asked = found->second;
  }
  if (asked.empty()) asked = request.Query("lang").value_or("");
  if (!asked.empty()) {
    if (const Language* language = offered(asked)) page.language = language;
    return page;
  }
  // "sg, fr-CF;q=0.8, en;q=0.5": the tags in the order written (browsers write them by
  // preference), each by its primary subtag.
  std::string_view accept = request.Header("accept-language").value_or("");
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view tag = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    tag = tag.substr(0, tag.find_first_of(";- "));
    std::string lower;
    for (char c : tag) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (const Language* language = offered(lower)) {
      page.language = language;
      break;
    }
  }
  return page;
}

std::string Head(const Page& page) {
  std::string out = "<!doctype html><html lang=\"";
  out += page.lang();
  out +=
      "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" "
      "content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\"><title>";
  out += page.T("title");
  out +=
      "</title><link rel=\"stylesheet\" href=\"/report/s.css\"><script src=\"/report/x.js\" "
      "defer></script></head><body><header><nav>";
  for (const auto& language : page.site->languages) {
    out += "<a href=\"/report?lang=" + language.code + "\" lang=\"" + language.code + "\"";
    if (&language == page.language) out += " aria-current=\"page\"";
    out += ">" + language.name + "</a>";
  }
  out += "</nav><a class=\"exit\" href=\"";
  out += kExitTarget;
  out += "\" rel=\"noreferrer\">";
  out += page.T("quick_exit");
  out += "</a></header><main>";
  if (page.language->needs_review) {
    out += "<p class=\"hint\" id=\"review-note\">";
    out += page.T("review_note");
    out += "</p>";
  }
  return out;
}

std::string Foot(const Page& page) {
  const ReportingContact& contact = page.site->contact;
  std::string out = "<footer>";
  if (!contact.hotlines.empty()) {
    out += "<p class=\"hint\" id=\"hotlines\">";
    out += Fill(page.T("hotlines"), "hotlines", HotlineList(page, "list_and"));
    out += "</p>";
  }
  if (!contact.email.empty()) {
    out += "<p class=\"hint\" id=\"contact-email\">";
    out += Fill(page.T("email_line"), "email", EscapeMarkup(contact.email));
    out += "</p>";
  }
  if (!contact.text.empty()) {
    out += "<p class=\"hint\" id=\"contact-text\">";
    out += EscapeMarkup(contact.text);
    out += "</p>";
  }
  out += "</footer></main></body></html>";
  return out;
}

// What the service's validation found, in the page's language and without the API's field
// names (the field path's index, "victims[0]", becomes "victim 1"). The code is
// kInvalidArgument or kUnprocessable here. HTML, like every text of a catalog.
std::string FormErrorText(const Page& page, const Status& error) {
  // "victims[0].age_group" -> "victims[].age_group" and the number 1.
  std::string field = error.field();
  std::string number = "1";
  if (const auto open = field.find('['); open != std::string::npos) {
    const auto close = field.find(']', open);
    if (close != std::string::npos) {
      const std::string index = field.substr(open + 1, close - open - 1);
      if (!index.empty() && index.size() < 4 &&
          index.find_first_not_of("0123456789") == std::string::npos) {
        number = std::to_string(std::stoi(index) + 1);
      }
      field.erase(open + 1, close - open - 1);
    }
  }
  for (const auto& [path, key] : kFieldMessages) {
    if (path == field) return Fill(page.T(key), "n", number);
  }
  return std::string(page.T("error.general"));
}

HttpResponse Html(std::string body, int status = 200) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  return response;
}

using Form = std::map<std::string, std::string>;

std::string Value(const Form& form, const std::string& key) {
  auto found = form.find(key);
  return found == form.end() ? std::string() : found->second;
}

void Select(std::string& out, const Page& page, const char* name, std::string_view label,
            const Choices& choices, const std::string& chosen) {
  out += "<label for=\"";
  out += name;
  out += "\">";
  out += label;
  out += "</label><select id=\"";
  out += name;
  out += "\" name=\"";
  out += name;
  out += "\">";
  for (const auto value : choices.values) {
    out += "<option value=\"";
    out += value;
    out += "\"";
    if (chosen == value) out += " selected";
    out += ">";
    out += page.T(std::string(choices.list) + "." + std::string(value));
    out += "</option>";
  }
  out += "</select>";
}

void Check(std::string& out, const char* name, std::string_view label, bool checked) {
  out += "<label><input type=\"checkbox\" name=\"";
  out += name;
  out += "\" value=\"1\"";
  if (checked) out += " checked";
  out += "> ";
  out += label;
  out += "</label>";
}

// `busy`: the server takes no more reports this minute; the page names the hotlines first and
// keeps what the reporter wrote.
std::string ReportForm(const Page& page, const std::vector<Prefecture>& places, const Form& form,
                       const std::string& error, bool busy = false) {
  std::string out = Head(page);
  if (busy) {
    out += "<div class=\"error\" role=\"alert\" id=\"busy\"><h1>";
    out += page.T("busy_title");
    out += "</h1><p><strong>";
    out += Fill(page.T("busy_call"), "hotlines", HotlineList(page, "list_or"));
    out += "</strong> ";
    out += page.T("busy_retry");
    out += "</p></div>";
  }
  out += "<p>";
  out += page.T("intro");
  out += "</p>";
  if (!error.empty()) {
    out += "<p class=\"error\" role=\"alert\" id=\"error\">";
    out += page.T("error_prefix");
    out += " ";
    out += error;
    out += "</p>";
  }
  out += "<form method=\"post\" action=\"/report\"><input type=\"hidden\" name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><label for=\"narrative\">";
  out += page.T("what_happened");
  out += "</label><p class=\"hint\" id=\"nh\">";
  out += page.T("what_happened_hint");
  out +=
      "</p><textarea id=\"narrative\" name=\"narrative\" required maxlength=\"20000\" "
      "aria-describedby=\"nh\">";
  out += EscapeMarkup(Value(form, "narrative"));
  out += "</textarea>";
  const std::string relation = Value(form, "reporter_relation");
  Select(out, page, "reporter_relation", page.T("who"), kRelations,
         relation.empty() ? "anonymous" : relation);

  out += "<label for=\"prefecture\">";
  out += page.T("where");
  out += "</label><select id=\"prefecture\" name=\"prefecture\"><option value=\"\">";
  out += page.T("choose");
  out += "</option>";
  const std::string chosen = Value(form, "prefecture");
  for (const auto& prefecture : places) {
    out += "<option value=\"" + EscapeMarkup(prefecture.code) + "\"";
    if (chosen == prefecture.code) out += " selected";
    out += ">" + EscapeMarkup(prefecture.name) + "</option>";
  }
  out += "</select><label for=\"town\">";
  out += page.T("town");
  out += "</label><input type=\"text\" id=\"town\" name=\"town\" maxlength=\"100\" value=\"";
  out += EscapeMarkup(Value(form, "town"));
  out += "\"><label for=\"when\">";
  out += page.T("when");
  out += "</label><p class=\"hint\" id=\"wh\">";
  out += page.T("when_hint");
  out += "</p><input type=\"date\" id=\"when\" name=\"when\" aria-describedby=\"wh\" value=\"";
  out += EscapeMarkup(Value(form, "when"));
  out += "\">";

  out += "<fieldset><legend>";
  out += page.T("victim");
  out += "</legend>";
  Select(out, page, "victim_age_group", page.T("age_group"), kAgeGroups,
         Value(form, "victim_age_group"));
  Select(out, page, "victim_sex", page.T("sex"), kSexes, Value(form, "victim_sex"));
  out += "</fieldset>";
  Select(out, page, "perpetrator", page.T("person"), kPersons, Value(form, "perpetrator"));

  out += "<fieldset><legend>";
  out += page.T("risks");
  out += "</legend>";
  Check(out, "risk_child", page.T("risk_child"), !Value(form, "risk_child").empty());
  Check(out, "risk_danger", page.T("risk_danger"), !Value(form, "risk_danger").empty());
  Check(out, "risk_medical", page.T("risk_medical"), !Value(form, "risk_medical").empty());
  out += "</fieldset><fieldset><legend>";
  out += page.T("you");
  out += "</legend>";
  const bool named = Value(form, "identity") == "named";
  out += "<label><input type=\"radio\" name=\"identity\" value=\"anonymous\"";
  if (!named) out += " checked";
  out += "> ";
  out += page.T("anonymous");
  out += "</label><label><input type=\"radio\" name=\"identity\" value=\"named\"";
  if (named) out += " checked";
  out += "> ";
  out += page.T("named");
  out += "</label><label for=\"reporter_name\">";
  out += page.T("name");
  out +=
      "</label><input type=\"text\" id=\"reporter_name\" name=\"reporter_name\" "
      "maxlength=\"200\" autocomplete=\"off\" value=\"";
  out += EscapeMarkup(Value(form, "reporter_name"));
  out += "\"><label for=\"reporter_phone\">";
  out += page.T("phone");
  out +=
      "</label><input type=\"tel\" id=\"reporter_phone\" name=\"reporter_phone\" "
      "maxlength=\"40\" autocomplete=\"off\" value=\"";
  out += EscapeMarkup(Value(form, "reporter_phone"));
  out += "\"><label for=\"reporter_email\">";
  out += page.T("email");
  out +=
      "</label><input type=\"email\" id=\"reporter_email\" name=\"reporter_email\" "
      "maxlength=\"254\" autocomplete=\"off\" value=\"";
  out += EscapeMarkup(Value(form, "reporter_email"));
  out += "\">";
  Check(out, "contact_consent", page.T("consent"), !Value(form, "contact_consent").empty());
  Select(out, page, "contact_method", page.T("contact_by"), kContactMethods,
         Value(form, "contact_method"));
  out += "</fieldset><button type=\"submit\">";
  out += page.T("send");
  out += "</button></form><p><a href=\"/report/follow-up?lang=";
  out += page.lang();
  out += "\">";
  out += page.T("follow_up");
  out += "</a></p>";
  out += Foot(page);
  return out;
}

// The public form's fields to a NewComplaint; validation is the service's.
Result<NewComplaint> FromForm(const Form& form, const Page& page) {
  static const std::set<std::string> kKnown = {
      "lang",           "narrative",        "reporter_relation", "prefecture",    "town",
      "when",           "victim_age_group", "victim_sex",        "perpetrator",   "risk_child",
      "risk_danger",    "risk_medical",     "identity",          "reporter_name", "reporter_phone",
      "reporter_email", "contact_consent",  "contact_method"};
  for (const auto& [key, value] : form) {
    if (!kKnown.count(key)) return InvalidArgument("unknown field " + key, "form");
  }
  NewComplaint n;
  n.channel = Channel::kWebForm;
  n.language = page.lang();
  n.identifying.narrative = Value(form, "narrative");
  n.reporter_relation = Value(form, "reporter_relation");
  if (n.reporter_relation.empty()) n.reporter_relation = "anonymous";
  n.prefecture = Value(form, "prefecture");
  n.town = Value(form, "town");
  const std::string when = Value(form, "when");
  if (!when.empty()) {
    n.incident_date_precision = when.size() == 7 ? "month" : "exact";
    n.incident_date = when;
  }
  VictimFacts victim;
  victim.age_group = Value(form, "victim_age_group");
  victim.sex = Value(form, "victim_sex");
  if (victim.age_group.empty()) victim.age_group = "unknown";
  if (victim.sex.empty()) victim.sex = "unknown";
  n.victims.push_back(victim);
  n.identifying.victim_names.push_back("");
  PerpetratorFacts perpetrator;
  perpetrator.category = Value(form, "perpetrator");
  if (perpetrator.category.empty()) perpetrator.category = "unknown";
  n.perpetrators.push_back(perpetrator);
  n.risk_child = !Value(form, "risk_child").empty();
  n.risk_danger = !Value(form, "risk_danger").empty();
  n.risk_medical = !Value(form, "risk_medical").empty();
  n.anonymous = Value(form, "identity") != "named";
  if (!n.anonymous) {
    n.identifying.reporter_name = Value(form, "reporter_name");
  }
  n.identifying.reporter_phone = Value(form, "reporter_phone");
  n.identifying.reporter_email = Value(form, "reporter_email");
  n.contact_consent = !Value(form, "contact_consent").empty();
  n.contact_method = n.contact_consent ? Value(form, "contact_method") : "none";
  if (n.contact_method.empty()) n.contact_method = "none";
  return n;
}

Result<Form> ParseForm(const http::HttpRequest& request) {
  const std::string_view type = request.Header("content-type").value_or("");
  if (type.substr(0, 33) != "application/x-www-form-urlencoded") {
    return Status(ErrorCode::kUnsupportedMediaType, "send the form as a form");
  }
  Form form;
  if (!http::ParseQueryString(request.body, form)) {
    return InvalidArgument("the form data is malformed");
  }
  return form;
}

std::string_view PublicStatusText(const Page& page, PublicStatus status) {
  switch (status) {
    case PublicStatus::kReceived:
      return page.T("status_received");
    case PublicStatus::kBeingAssessed:
      return page.T("status_assessed");
    case PublicStatus::kReferredForInvestigation:
      return page.T("status_referred");
    case PublicStatus::kReferredElsewhere:
      return page.T("status_referred_elsewhere");
    case PublicStatus::kInvestigationUnderWay:
      return page.T("status_investigating");
    case PublicStatus::kInvestigationConcluded:
      return page.T("status_concluded");
    default:
      return page.T("status_closed");
  }
}

std::string FollowUpForm(const Page& page, const std::string& error) {
  std::string out = Head(page);
  out += "<h1>";
  out += page.T("follow_up");
  out += "</h1>";
  if (!error.empty()) out += "<p class=\"error\" role=\"alert\">" + error + "</p>";
  out +=
      "<form method=\"post\" action=\"/report/follow-up\"><input type=\"hidden\" "
      "name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><label for=\"code\">";
  out += page.T("code");
  out +=
      "</label><input type=\"text\" id=\"code\" name=\"code\" required maxlength=\"40\" "
      "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"><button "
      "type=\"submit\">";
  out += page.T("see");
  out += "</button></form>";
  out += Foot(page);
  return out;
}

// A receipt code shown once: a title, a line before the code (none for kCount), the code, what
// to do with it, and the way to the follow-up page.
std::string CodePage(const Page& page, std::string_view title, std::string_view before,
                     const std::string& code, std::string_view after) {
  std::string out = Head(page);
  out += "<h1>";
  out += page.T(title);
  out += "</h1>";
  if (!before.empty()) {
    out += "<p>";
    out += page.T(before);
    out += "</p>";
  }
  out += "<p class=\"code\" id=\"receipt\">";
  out += EscapeMarkup(code);
  out += "</p><p>";
  out += page.T(after);
  out += "</p><p><a href=\"/report/follow-up?lang=";
  out += page.lang();
  out += "\">";
  out += page.T("follow_up");
  out += "</a></p>";
  out += Foot(page);
  return out;
}

std::string FollowUpPage(const Page& page, const std::string& code, const FollowUpView& view) {
  std::string out = Head(page);
  out += "<h1>";
  out += page.T("follow_up");
  out += "</h1><p>";
  out += page.T("status");
  out += ": <strong>";
  out += PublicStatusText(page, view.status);
  out += "</strong></p>";
  if (view.code_seen_by_staff) {
    // A code an operator, a focal point or a partner saw opens the thread for them too.
    out += "<div class=\"notice\"><p>";
    out += page.T("shared_code");
    out +=
        "</p><form method=\"post\" action=\"/report/follow-up/new-code\"><input "
        "type=\"hidden\" name=\"lang\" value=\"";
    out += page.lang();
    out += "\"><input type=\"hidden\" name=\"code\" value=\"";
    out += EscapeMarkup(code);
    out += "\"><button type=\"submit\">";
    out += page.T("new_code_button");
    out += "</button></form></div>";
  }
  out += "<h2>";
  out += page.T("messages");
  out += "</h2>";
  if (view.messages.empty()) {
    out += "<p>";
    out += page.T("no_messages");
    out += "</p>";
  }
  for (const auto& message : view.messages) {
    out += message.from_reporter ? "<div class=\"msg\"><p class=\"hint\">"
                                 : "<div class=\"msg team\"><p class=\"hint\">";
    out += message.from_reporter ? page.T("from_you") : page.T("from_team");
    out += " · ";
    out += FormatIso8601(message.created_at).substr(0, 10);
    out += "</p><p>";
    out += EscapeMarkup(message.text);
    out += "</p></div>";
  }
  out +=
      "<form method=\"post\" action=\"/report/follow-up\"><input type=\"hidden\" "
      "name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><input type=\"hidden\" name=\"code\" value=\"";
  out += EscapeMarkup(code);
  out += "\"><label for=\"message\">";
  out += page.T("write");
  out +=
      "</label><textarea id=\"message\" name=\"message\" maxlength=\"4000\" "
      "required></textarea><button type=\"submit\">";
  out += page.T("send");
  out += "</button></form>";
  out += Foot(page);
  return out;
}

PublicSite BuildSite(PublicPageSettings settings) {
  PublicSite site;
  site.contact = std::move(settings.contact);
  for (const auto& catalog : settings.catalogs) {
    Language language;
    language.code = catalog.code;
    language.name = EscapeMarkup(catalog.name);
    language.needs_review = catalog.needs_review;
    for (const auto& [key, text] : catalog.texts) language.html.emplace(key, EscapeMarkup(text));
    site.languages.push_back(std::move(language));
  }
  if (site.languages.empty()) {
    // Routes registered without catalogs (tests that walk the route table): the keys show.
    site.languages.push_back({std::string(kReferenceLanguage), "Français", false, {}});
  }
  return site;
}

}  // namespace

const std::vector<std::string_view>& PublicPageKeys() { return kKeys; }

void RegisterPublicPages(http::Router& router, IntakeService& service,
                         PublicPageSettings settings) {
  IntakeService* s = &service;
  auto site = std::make_shared<const PublicSite>(BuildSite(std::move(settings)));
  // The places list, as the CDT keeps it; an empty list if the database cannot give it (the
  // form still works: the place is optional).
  auto places_of = [s]() {
    auto places = s->Places();
    return places.ok() ? *places : std::make_shared<const PlacesList>();
  };

  router.Add({.method = "GET",
              .pattern = "/report",
              .access = http::Access::kPublic,
              .handler = [site, places_of](RequestContext& ctx) -> Result<HttpResponse> {
                return Html(ReportForm(PageFor(*site, ctx.request, nullptr),
                                       places_of()->prefectures, {}, ""));
              },
              .lenient_query = true,
              .summary = "The public reporting form (HTML, no JavaScript needed)",
              .tag = "report"});

  router.Add(
      {.method = "POST",
       .pattern = "/report",
       .access = http::Access::kPublic,
       .handler = [site, s, places_of](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
         const Page page = PageFor(*site, ctx.request, &form);
         auto complaint = FromForm(form, page);
         Result<Submitted> submitted =
             complaint.ok() ? s->SubmitPublic(std::move(complaint).value(),
                                              {ctx.request.remote_address, ctx.request.request_id})
                            : Result<Submitted>(complaint.status());
         if (!submitted.ok()) {
           const Status& error = submitted.status();
           if (error.code() == ErrorCode::kRateLimited) {
             // Whether the server or this connection reached its limit, the reporter is told
             // whom to call now, and what they wrote stays in the form. ("Wait a minute" was
             // wrong for the per-address limit, whose window is an hour.)
             HttpResponse limited = Html(
                 ReportForm(page, places_of()->prefectures, form, std::string(), /*busy=*/true),
                 429);
             if (error.retry_after_seconds() > 0) {
               limited.SetHeader("Retry-After", std::to_string(error.retry_after_seconds()));
             }
             return limited;
           }
           if (error.code() != ErrorCode::kInvalidArgument &&
               error.code() != ErrorCode::kUnprocessable) {
             return error;
           }
           // The form again, with the message in the page's language (422: a choice outside
           // its list, as from an edited page).
           return Html(ReportForm(page, places_of()->prefectures, form, FormErrorText(page, error)),
                       error.code() == ErrorCode::kUnprocessable ? 422 : 400);
         }
         return Html(CodePage(page, "thanks", "your_code", submitted->receipt_code, "keep_code"),
                     201);
       },
       .max_body = 64 * 1024,
       .lenient_query = true,
       .summary = "Submit the public reporting form; answers with the receipt code",
       .tag = "report"});

  router.Add({.method = "GET",
              .pattern = "/report/follow-up",
              .access = http::Access::kPublic,
              .handler = [site](RequestContext& ctx) -> Result<HttpResponse> {
                return Html(FollowUpForm(PageFor(*site, ctx.request, nullptr), ""));
              },
              .lenient_query = true,
              .summary = "The follow-up form (receipt code)",
              .tag = "report"});

  router.Add({.method = "POST",
              .pattern = "/report/follow-up",
              .access = http::Access::kPublic,
              .handler = [site, s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
                const Page page = PageFor(*site, ctx.request, &form);
                const RequestInfo info{ctx.request.remote_address, ctx.request.request_id};
                const std::string code = Value(form, "code");
                const std::string message = Value(form, "message");
                if (!message.empty()) {
                  auto sent = s->ReporterMessage(code, message, info);
                  if (!sent.ok()) {
                    if (sent.code() == ErrorCode::kRateLimited) {
                      return Html(FollowUpForm(page, std::string(page.T("too_many"))), 429);
                    }
                    if (sent.code() == ErrorCode::kNotFound) {
                      return Html(FollowUpForm(page, std::string(page.T("unknown_code"))), 404);
                    }
                    if (sent.code() != ErrorCode::kInvalidArgument) return sent;
                    return Html(FollowUpForm(page, FormErrorText(page, sent)), 400);
                  }
                }
                auto view = s->FollowUp(code, info);
                if (!view.ok()) {
                  if (view.status().code() == ErrorCode::kRateLimited) {
                    return Html(FollowUpForm(page, std::string(page.T("too_many"))), 429);
                  }
                  if (view.status().code() == ErrorCode::kNotFound) {
                    return Html(FollowUpForm(page, std::string(page.T("unknown_code"))), 404);
                  }
                  return view.status();
                }
                return Html(FollowUpPage(page, code, *view));
              },
              .max_body = 16 * 1024,
              .lenient_query = true,
              .summary = "Status and messages of a report, with its receipt code; send a message",
              .tag = "report"});

  router.Add({.method = "POST",
              .pattern = "/report/follow-up/new-code",
              .access = http::Access::kPublic,
              .handler = [site, s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
                const Page page = PageFor(*site, ctx.request, &form);
                const RequestInfo info{ctx.request.remote_address, ctx.request.request_id};
                auto replaced = s->ReplaceReceiptCode(Value(form, "code"), info);
                if (!replaced.ok()) {
                  if (replaced.status().code() == ErrorCode::kRateLimited) {
                    return Html(FollowUpForm(page, std::string(page.T("too_many"))), 429);
                  }
                  if (replaced.status().code() == ErrorCode::kNotFound ||
                      replaced.status().code() == ErrorCode::kConflict) {
                    return Html(FollowUpForm(page, std::string(page.T("unknown_code"))), 404);
                  }
                  return replaced.status();
                }
                return Html(CodePage(page, "new_code_title", "", *replaced, "new_code_keep"), 201);
              },
              .max_body = 16 * 1024,
              .lenient_query = true,
              .summary = "Replace a receipt code that staff saw with a new one only the reporter "
                         "knows (shown once; the old code dies)",
              .tag = "report"});

  router.Add({.method = "GET",
              .pattern = "/report/s.css",
              .access = http::Access::kPublic,
              .handler = [](RequestContext&) -> Result<HttpResponse> {
                HttpResponse response;
                response.body = std::string(kStyle);
                response.SetHeader("Content-Type", "text/css; charset=utf-8");
                response.SetHeader("Cache-Control", "public, max-age=86400");
                return response;
              },
              .lenient_query = true,
              .summary = "The public pages' style sheet",
              .tag = "report"});

  router.Add({.method = "GET",
              .pattern = "/report/x.js",
              .access = http::Access::kPublic,
              .handler = [](RequestContext&) -> Result<HttpResponse> {
                HttpResponse response;
                response.body = std::string(kExitScript);
                response.SetHeader("Content-Type", "text/javascript; charset=utf-8");
                response.SetHeader("Cache-Control", "public, max-age=86400");
                return response;
              },
              .lenient_query = true,
              .summary = "The quick exit's script (the pages work without it)",
              .tag = "report"});
}

}  // namespace psea::intake

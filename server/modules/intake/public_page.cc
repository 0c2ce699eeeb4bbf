// The public reporting pages. Safe on a shared phone: a neutral title, no cookies, nothing
// from another site, a quick exit on every page, the receipt code never in a URL (it is only
// ever POSTed), and plain HTML forms that need no JavaScript. Each page is a few kilobytes.
#include <array>
#include <string>
#include <string_view>

#include "http/json.h"
#include "modules/intake/handlers.h"

namespace psea::intake {

using http::HttpResponse;
using http::RequestContext;

namespace {

enum Text {
  kTitle,
  kQuickExit,
  kIntro,
  kHotlines,
  kWhatHappened,
  kWhatHappenedHint,
  kWho,
  kWhere,
  kChoose,
  kTown,
  kWhen,
  kWhenHint,
  kVictim,
  kAgeGroup,
  kSex,
  kPerson,
  kRisks,
  kRiskChild,
  kRiskDanger,
  kRiskMedical,
  kYou,
  kAnonymous,
  kNamed,
  kName,
  kPhone,
  kEmail,
  kConsent,
  kContactBy,
  kSend,
  kThanks,
  kYourCode,
  kKeepCode,
  kFollowUp,
  kCode,
  kSee,
  kStatus,
  kMessages,
  kYou2,
  kTeam,
  kWrite,
  kNoMessages,
  kErrorPrefix,
  kReceived,
  kAssessed,
  kReferred,
  kClosed,
  kTooMany,
  kUnknownCode,
  kOther,
  kBusyTitle,
  kBusyCall,
  kBusyRetry,
  kAnd,
  kOr,
  kSharedCode,
  kNewCodeButton,
  kNewCodeTitle,
  kNewCodeKeep,
  kCount
};

using Strings = std::array<std::string_view, kCount>;

// French first: it is the language most reporters read.
constexpr Strings kFr = {
    "Contact",
    "Quitter vite",
    "Vous pouvez signaler ici, avec votre nom ou sans. Ce que vous écrivez est chiffré : "
    "seule l'équipe chargée des plaintes peut le lire.",
    "Lignes gratuites : ",
    "Que s'est-il passé ?",
    "Ce que vous savez : qui, quoi, où, quand. Rien n'est obligatoire à part ceci.",
    "Vous êtes",
    "Où ?",
    "Choisir",
    "Ville ou village",
    "Quand ? (si vous savez)",
    "Une date approchée suffit.",
    "La personne touchée",
    "Âge",
    "Sexe",
    "La personne mise en cause",
    "Urgent ?",
    "La victime est un enfant",
    "Quelqu'un est en danger maintenant",
    "Besoin de soins médicaux (moins de 72 heures)",
    "Vous",
    "Je reste anonyme",
    "Je donne mon nom",
    "Nom",
    "Téléphone",
    "Courriel",
    "On peut me contacter",
    "Par",
    "Envoyer",
    "Merci. Votre signalement est enregistré.",
    "Votre code de suivi",
    "Notez ce code et gardez-le caché. Il permet de suivre votre signalement et d'échanger des "
    "messages avec l'équipe. Il ne sera plus affiché.",
    "Suivre un signalement",
    "Code de suivi",
    "Voir",
    "État",
    "Messages",
    "Vous",
    "L'équipe",
    "Écrire à l'équipe",
    "Pas encore de message.",
    "À corriger :",
    "Reçu",
    "En cours d'examen",
    "Transmis pour enquête",
    "Clos",
    "Trop d'essais. Attendez une minute.",
    "Ce code est inconnu ou a expiré.",
    "Autre",
    "Trop de signalements arrivent en ce moment",
    "Appelez gratuitement le ",
    " : quelqu'un vous écoutera. Vous pouvez aussi réessayer dans quelques minutes ; ce que vous "
    "avez écrit est encore ci-dessous.",
    " et ",
    " ou ",
    "Un membre du personnel a noté ce code quand votre signalement a été enregistré. Remplacez-le "
    "par un nouveau code que vous seul connaîtrez.",
    "Obtenir un nouveau code",
    "Votre nouveau code de suivi",
    "Notez-le maintenant et gardez-le caché : il ne sera plus affiché. L'ancien code ne marche "
    "plus.",
};

constexpr Strings kEn = {
    "Contact",
    "Quick exit",
    "You can report here, with your name or without. What you write is encrypted: only the "
    "team that handles complaints can read it.",
    "Free hotlines: ",
    "What happened?",
    "What you know: who, what, where, when. Only this is required.",
    "You are",
    "Where?",
    "Choose",
    "Town or village",
    "When? (if you know)",
    "An approximate date is fine.",
    "The person harmed",
    "Age",
    "Sex",
    "The person accused",
    "Urgent?",
    "The victim is a child",
    "Someone is in danger now",
    "Needs medical care (within 72 hours)",
    "You",
    "I stay anonymous",
    "I give my name",
    "Name",
    "Phone",
    "E-mail",
    "You may contact me",
    "By",
    "Send",
    "Thank you. Your report is recorded.",
    "Your follow-up code",
    "Write this code down and keep it hidden. With it you can follow your report and exchange "
    "messages with the team. It will not be shown again.",
    "Follow a report",
    "Follow-up code",
    "See",
    "Status",
    "Messages",
    "You",
    "The team",
    "Write to the team",
    "No message yet.",
    "Please correct:",
    "Received",
    "Being assessed",
    "Referred for investigation",
    "Closed",
    "Too many attempts. Wait a minute.",
    "This code is unknown or has expired.",
    "Other",
    "Too many reports are arriving right now",
    "Call the free hotlines ",
    ": someone will listen. Or try again in a few minutes; what you wrote is still below.",
    " and ",
    " or ",
    "A staff member wrote this code down when your report was taken. Replace it with a new code "
    "that only you will know.",
    "Get a new code",
    "Your new follow-up code",
    "Write it down now and keep it hidden: it will not be shown again. The old code no longer "
    "works.",
};

// The hotlines, in the one place every page takes them from.
constexpr std::string_view kHotlineNumbers[] = {"4044", "4445"};

// "4044 et 4445" / "4044 or 4445".
std::string HotlineList(std::string_view last_joiner) {
  std::string out;
  const std::size_t count = std::size(kHotlineNumbers);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += i + 1 == count ? last_joiner : std::string_view(", ");
    out += kHotlineNumbers[i];
  }
  return out;
}

struct Option {
  std::string_view value;
  std::string_view fr;
  std::string_view en;
};

constexpr Option kRelations[] = {
    {"victim", "La victime", "The victim"},
    {"witness", "Témoin", "A witness"},
    {"family", "De la famille", "Family"},
    {"community_member", "De la communauté", "From the community"},
    {"staff", "Personnel ONU", "UN staff"},
    {"partner_organisation", "Une organisation partenaire", "A partner organisation"},
    {"anonymous", "Je préfère ne pas dire", "I prefer not to say"},
};
constexpr Option kAgeGroupOptions[] = {
    {"unknown", "Je ne sais pas", "I don't know"},
    {"minor", "Moins de 18 ans", "Under 18"},
    {"adult", "18 ans ou plus", "18 or over"},
};
constexpr Option kSexOptions[] = {
    {"unknown", "Je ne sais pas", "I don't know"},
    {"female", "Féminin", "Female"},
    {"male", "Masculin", "Male"},
    {"other", "Autre", "Other"},
};
constexpr Option kPersonOptions[] = {
    {"unknown", "Je ne sais pas", "I don't know"},
    {"military", "Militaire (casque bleu)", "Soldier (peacekeeper)"},
    {"police", "Policier de l'ONU", "UN police"},
    {"civilian", "Civil de l'ONU", "UN civilian"},
    {"implementing_partner", "Personnel d'une ONG ou agence partenaire",
     "Staff of an NGO or partner agency"},
    {"contractor", "Sous-traitant", "Contractor"},
};
constexpr Option kContactOptions[] = {
    {"phone", "Appel", "Call"},
    {"sms", "SMS", "SMS"},
    {"email", "Courriel", "E-mail"},
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

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct Page {
  bool english = false;
  const Strings& t() const { return english ? kEn : kFr; }
  std::string_view lang() const { return english ? "en" : "fr"; }
  std::string_view Label(const Option& o) const { return english ? o.en : o.fr; }
};

Page PageFor(const http::HttpRequest& request, const std::map<std::string, std::string>* form) {
  Page page;
  std::string_view lang;
  if (form) {
    if (auto found = form->find("lang"); found != form->end()) lang = found->second;
  }
  if (lang.empty()) lang = request.Query("lang").value_or("");
  if (lang.empty()) {
    const std::string_view accept = request.Header("accept-language").value_or("");
    page.english = accept.substr(0, 2) == "en";
  } else {
    page.english = lang == "en";
  }
  return page;
}

std::string Head(const Page& page) {
  const auto& t = page.t();
  std::string out = "<!doctype html><html lang=\"";
  out += page.lang();
  out +=
      "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" "
      "content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\"><title>";
  out += t[kTitle];
  out +=
      "</title><link rel=\"stylesheet\" href=\"/report/s.css\"><script src=\"/report/x.js\" "
      "defer></script></head><body><header><nav><a href=\"/report?lang=fr\" lang=\"fr\">"
      "Français</a><a href=\"/report?lang=en\" lang=\"en\">English</a></nav><a class=\"exit\" "
      "href=\"";
  out += kExitTarget;
  out += "\" rel=\"noreferrer\">";
  out += t[kQuickExit];
  out += "</a></header><main>";
  return out;
}

std::string Foot(const Page& page) {
  std::string out = "<p class=\"hint\">";
  out += page.t()[kHotlines];
  out += HotlineList(page.t()[kAnd]);
  out += ".</p></main></body></html>";
  return out;
}

// What the service's validation found, in the page's language and without the API's field
// names: one message per field of the form (the field path's index, "victims[0]", becomes
// "victim 1"). The code is kInvalidArgument or kUnprocessable here; a field the form does not have
// gets the general message.
struct FieldMessage {
  std::string_view field;  // the path without its index: "victims[].age_group"
  std::string_view fr;     // "{n}" is the person's number
  std::string_view en;
};

constexpr FieldMessage kFieldMessages[] = {
    {"narrative", "Écrivez ce qui s'est passé (20 000 caractères au plus).",
     "Write what happened (at most 20,000 characters)."},
    {"reporter_relation", "Choisissez qui vous êtes dans la liste.",
     "Choose who you are from the list."},
    {"contact_method", "Choisissez comment on peut vous contacter : appel, SMS ou courriel.",
     "Choose how we may contact you: call, SMS or e-mail."},
    {"incident_date", "Donnez une date réelle, depuis 1990, ou laissez la date vide.",
     "Give a real date, from 1990 on, or leave the date empty."},
    {"incident_date_precision", "Donnez une date réelle, depuis 1990, ou laissez la date vide.",
     "Give a real date, from 1990 on, or leave the date empty."},
    {"prefecture", "Choisissez le lieu dans la liste.", "Choose the place from the list."},
    {"sub_prefecture", "Choisissez le lieu dans la liste.", "Choose the place from the list."},
    {"town", "Écrivez la ville ou le village en 100 caractères au plus.",
     "Write the town or village in at most 100 characters."},
    {"victims[].age_group", "Choisissez la tranche d'âge de la victime {n}.",
     "Choose the age group of victim {n}."},
    {"victims[].sex", "Choisissez le sexe de la victime {n}.", "Choose the sex of victim {n}."},
    {"victims[].age", "Donnez un âge de 0 à 120 ans pour la victime {n}.",
     "Give an age from 0 to 120 for victim {n}."},
    {"victims[].name", "Écrivez le nom de la victime {n} en 200 caractères au plus.",
     "Write the name of victim {n} in at most 200 characters."},
    {"perpetrators[].category", "Choisissez qui est la personne mise en cause {n}.",
     "Choose who the accused person {n} is."},
    {"reporter_name", "Écrivez votre nom en 200 caractères au plus.",
     "Write your name in at most 200 characters."},
    {"reporter_phone",
     "Donnez votre numéro de téléphone (40 caractères au plus) pour être contacté par appel ou "
     "SMS.",
     "Give your phone number (at most 40 characters) to be contacted by call or SMS."},
    {"reporter_email", "Donnez une adresse de courriel valide pour être contacté par courriel.",
     "Give a valid e-mail address to be contacted by e-mail."},
    {"message", "Écrivez votre message (4 000 caractères au plus).",
     "Write your message (at most 4,000 characters)."},
    {"form", "Le formulaire a changé : rechargez la page et recommencez.",
     "The form has changed: reload the page and try again."},
};

constexpr std::string_view kGeneralFr = "Vérifiez ce que vous avez saisi et réessayez.";
constexpr std::string_view kGeneralEn = "Check what you entered and try again.";

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
  for (const auto& entry : kFieldMessages) {
    if (entry.field != field) continue;
    std::string text(page.english ? entry.en : entry.fr);
    if (const auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, number);
    return text;
  }
  return std::string(page.english ? kGeneralEn : kGeneralFr);
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

void Select(std::string& out, const Page& page, const char* name, const char* label,
            const Option* options, std::size_t count, const std::string& chosen) {
  out += "<label for=\"";
  out += name;
  out += "\">";
  out += label;
  out += "</label><select id=\"";
  out += name;
  out += "\" name=\"";
  out += name;
  out += "\">";
  for (std::size_t i = 0; i < count; ++i) {
    out += "<option value=\"";
    out += options[i].value;
    out += "\"";
    if (chosen == options[i].value) out += " selected";
    out += ">";
    out += page.Label(options[i]);
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
  const auto& t = page.t();
  std::string out = Head(page);
  if (busy) {
    out += "<div class=\"error\" role=\"alert\" id=\"busy\"><h1>";
    out += t[kBusyTitle];
    out += "</h1><p><strong>";
    out += t[kBusyCall];
    out += HotlineList(t[kOr]);
    out += "</strong>";
    out += t[kBusyRetry];
    out += "</p></div>";
  }
  out += "<p>";
  out += t[kIntro];
  out += "</p>";
  if (!error.empty()) {
    out += "<p class=\"error\" role=\"alert\" id=\"error\">";
    out += t[kErrorPrefix];
    out += " ";
    out += Escape(error);
    out += "</p>";
  }
  out += "<form method=\"post\" action=\"/report\"><input type=\"hidden\" name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><label for=\"narrative\">";
  out += t[kWhatHappened];
  out += "</label><p class=\"hint\" id=\"nh\">";
  out += t[kWhatHappenedHint];
  out +=
      "</p><textarea id=\"narrative\" name=\"narrative\" required maxlength=\"20000\" "
      "aria-describedby=\"nh\">";
  out += Escape(Value(form, "narrative"));
  out += "</textarea>";
  const std::string relation = Value(form, "reporter_relation");
  Select(out, page, "reporter_relation", t[kWho].data(), kRelations, std::size(kRelations),
         relation.empty() ? "anonymous" : relation);

  out += "<label for=\"prefecture\">";
  out += t[kWhere];
  out += "</label><select id=\"prefecture\" name=\"prefecture\"><option value=\"\">";
  out += t[kChoose];
  out += "</option>";
  const std::string chosen = Value(form, "prefecture");
  for (const auto& prefecture : places) {
    out += "<option value=\"" + Escape(prefecture.code) + "\"";
    if (chosen == prefecture.code) out += " selected";
    out += ">" + Escape(prefecture.name) + "</option>";
  }
  out += "</select><label for=\"town\">";
  out += t[kTown];
  out += "</label><input type=\"text\" id=\"town\" name=\"town\" maxlength=\"100\" value=\"";
  out += Escape(Value(form, "town"));
  out += "\"><label for=\"when\">";
  out += t[kWhen];
  out += "</label><p class=\"hint\" id=\"wh\">";
  out += t[kWhenHint];
  out += "</p><input type=\"date\" id=\"when\" name=\"when\" aria-describedby=\"wh\" value=\"";
  out += Escape(Value(form, "when"));
  out += "\">";

  out += "<fieldset><legend>";
  out += t[kVictim];
  out += "</legend>";
  Select(out, page, "victim_age_group", t[kAgeGroup].data(), kAgeGroupOptions,
         std::size(kAgeGroupOptions), Value(form, "victim_age_group"));
  Select(out, page, "victim_sex", t[kSex].data(), kSexOptions, std::size(kSexOptions),
         Value(form, "victim_sex"));
  out += "</fieldset>";
  Select(out, page, "perpetrator", t[kPerson].data(), kPersonOptions, std::size(kPersonOptions),
         Value(form, "perpetrator"));

  out += "<fieldset><legend>";
  out += t[kRisks];
  out += "</legend>";
  Check(out, "risk_child", t[kRiskChild], !Value(form, "risk_child").empty());
  Check(out, "risk_danger", t[kRiskDanger], !Value(form, "risk_danger").empty());
  Check(out, "risk_medical", t[kRiskMedical], !Value(form, "risk_medical").empty());
  out += "</fieldset><fieldset><legend>";
  out += t[kYou];
  out += "</legend>";
  const bool named = Value(form, "identity") == "named";
  out += "<label><input type=\"radio\" name=\"identity\" value=\"anonymous\"";
  if (!named) out += " checked";
  out += "> ";
  out += t[kAnonymous];
  out += "</label><label><input type=\"radio\" name=\"identity\" value=\"named\"";
  if (named) out += " checked";
  out += "> ";
  out += t[kNamed];
  out += "</label><label for=\"reporter_name\">";
  out += t[kName];
  out +=
      "</label><input type=\"text\" id=\"reporter_name\" name=\"reporter_name\" "
      "maxlength=\"200\" autocomplete=\"off\" value=\"";
  out += Escape(Value(form, "reporter_name"));
  out += "\"><label for=\"reporter_phone\">";
  out += t[kPhone];
  out +=
      "</label><input type=\"tel\" id=\"reporter_phone\" name=\"reporter_phone\" "
      "maxlength=\"40\" autocomplete=\"off\" value=\"";
  out += Escape(Value(form, "reporter_phone"));
  out += "\"><label for=\"reporter_email\">";
  out += t[kEmail];
  out +=
      "</label><input type=\"email\" id=\"reporter_email\" name=\"reporter_email\" "
      "maxlength=\"254\" autocomplete=\"off\" value=\"";
  out += Escape(Value(form, "reporter_email"));
  out += "\">";
  Check(out, "contact_consent", t[kConsent], !Value(form, "contact_consent").empty());
  Select(out, page, "contact_method", t[kContactBy].data(), kContactOptions,
         std::size(kContactOptions), Value(form, "contact_method"));
  out += "</fieldset><button type=\"submit\">";
  out += t[kSend];
  out += "</button></form><p><a href=\"/report/follow-up?lang=";
  out += page.lang();
  out += "\">";
  out += t[kFollowUp];
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
  const auto& t = page.t();
  switch (status) {
    case PublicStatus::kReceived:
      return t[kReceived];
    case PublicStatus::kBeingAssessed:
      return t[kAssessed];
    case PublicStatus::kReferredForInvestigation:
      return t[kReferred];
    default:
      return t[kClosed];
  }
}

std::string FollowUpForm(const Page& page, const std::string& error) {
  const auto& t = page.t();
  std::string out = Head(page);
  out += "<h1>";
  out += t[kFollowUp];
  out += "</h1>";
  if (!error.empty()) out += "<p class=\"error\" role=\"alert\">" + Escape(error) + "</p>";
  out +=
      "<form method=\"post\" action=\"/report/follow-up\"><input type=\"hidden\" "
      "name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><label for=\"code\">";
  out += t[kCode];
  out +=
      "</label><input type=\"text\" id=\"code\" name=\"code\" required maxlength=\"40\" "
      "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"><button "
      "type=\"submit\">";
  out += t[kSee];
  out += "</button></form>";
  out += Foot(page);
  return out;
}

// A receipt code shown once: a title, a line before the code (none for kCount), the code, what
// to do with it, and the way to the follow-up page.
std::string CodePage(const Page& page, Text title, Text before, const std::string& code,
                     Text after) {
  const auto& t = page.t();
  std::string out = Head(page);
  out += "<h1>";
  out += t[title];
  out += "</h1>";
  if (before != kCount) {
    out += "<p>";
    out += t[before];
    out += "</p>";
  }
  out += "<p class=\"code\" id=\"receipt\">";
  out += Escape(code);
  out += "</p><p>";
  out += t[after];
  out += "</p><p><a href=\"/report/follow-up?lang=";
  out += page.lang();
  out += "\">";
  out += t[kFollowUp];
  out += "</a></p>";
  out += Foot(page);
  return out;
}

std::string FollowUpPage(const Page& page, const std::string& code, const FollowUpView& view) {
  const auto& t = page.t();
  std::string out = Head(page);
  out += "<h1>";
  out += t[kFollowUp];
  out += "</h1><p>";
  out += t[kStatus];
  out += ": <strong>";
  out += PublicStatusText(page, view.status);
  out += "</strong></p>";
  if (view.code_seen_by_staff) {
    // A code an operator, a focal point or a partner saw opens the thread for them too.
    out += "<div class=\"notice\"><p>";
    out += t[kSharedCode];
    out +=
        "</p><form method=\"post\" action=\"/report/follow-up/new-code\"><input "
        "type=\"hidden\" name=\"lang\" value=\"";
    out += page.lang();
    out += "\"><input type=\"hidden\" name=\"code\" value=\"";
    out += Escape(code);
    out += "\"><button type=\"submit\">";
    out += t[kNewCodeButton];
    out += "</button></form></div>";
  }
  out += "<h2>";
  out += t[kMessages];
  out += "</h2>";
  if (view.messages.empty()) {
    out += "<p>";
    out += t[kNoMessages];
    out += "</p>";
  }
  for (const auto& message : view.messages) {
    out += message.from_reporter ? "<div class=\"msg\"><p class=\"hint\">"
                                 : "<div class=\"msg team\"><p class=\"hint\">";
    out += message.from_reporter ? t[kYou2] : t[kTeam];
    out += " · ";
    out += FormatIso8601(message.created_at).substr(0, 10);
    out += "</p><p>";
    out += Escape(message.text);
    out += "</p></div>";
  }
  out +=
      "<form method=\"post\" action=\"/report/follow-up\"><input type=\"hidden\" "
      "name=\"lang\" value=\"";
  out += page.lang();
  out += "\"><input type=\"hidden\" name=\"code\" value=\"";
  out += Escape(code);
  out += "\"><label for=\"message\">";
  out += t[kWrite];
  out +=
      "</label><textarea id=\"message\" name=\"message\" maxlength=\"4000\" "
      "required></textarea><button type=\"submit\">";
  out += t[kSend];
  out += "</button></form>";
  out += Foot(page);
  return out;
}

}  // namespace

void RegisterPublicPages(http::Router& router, IntakeService& service) {
  IntakeService* s = &service;
  // The places list, as the CDT keeps it; an empty list if the database cannot give it (the
  // form still works: the place is optional).
  auto places_of = [s]() {
    auto places = s->Places();
    return places.ok() ? *places : std::make_shared<const std::vector<Prefecture>>();
  };

  router.Add({.method = "GET",
              .pattern = "/report",
              .access = http::Access::kPublic,
              .handler = [places_of](RequestContext& ctx) -> Result<HttpResponse> {
                return Html(ReportForm(PageFor(ctx.request, nullptr), *places_of(), {}, ""));
              },
              .summary = "The public reporting form (HTML, no JavaScript needed)",
              .tag = "report"});

  router.Add(
      {.method = "POST",
       .pattern = "/report",
       .access = http::Access::kPublic,
       .handler = [s, places_of](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
         const Page page = PageFor(ctx.request, &form);
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
             HttpResponse limited =
                 Html(ReportForm(page, *places_of(), form, std::string(), /*busy=*/true), 429);
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
           return Html(ReportForm(page, *places_of(), form, FormErrorText(page, error)),
                       error.code() == ErrorCode::kUnprocessable ? 422 : 400);
         }
         return Html(CodePage(page, kThanks, kYourCode, submitted->receipt_code, kKeepCode), 201);
       },
       .max_body = 64 * 1024,
       .summary = "Submit the public reporting form; answers with the receipt code",
       .tag = "report"});

  router.Add({.method = "GET",
              .pattern = "/report/follow-up",
              .access = http::Access::kPublic,
              .handler = [](RequestContext& ctx) -> Result<HttpResponse> {
                return Html(FollowUpForm(PageFor(ctx.request, nullptr), ""));
              },
              .summary = "The follow-up form (receipt code)",
              .tag = "report"});

  router.Add({.method = "POST",
              .pattern = "/report/follow-up",
              .access = http::Access::kPublic,
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
                const Page page = PageFor(ctx.request, &form);
                const RequestInfo info{ctx.request.remote_address, ctx.request.request_id};
                const std::string code = Value(form, "code");
                const std::string message = Value(form, "message");
                if (!message.empty()) {
                  auto sent = s->ReporterMessage(code, message, info);
                  if (!sent.ok()) {
                    if (sent.code() == ErrorCode::kRateLimited) {
                      return Html(FollowUpForm(page, std::string(page.t()[kTooMany])), 429);
                    }
                    if (sent.code() == ErrorCode::kNotFound) {
                      return Html(FollowUpForm(page, std::string(page.t()[kUnknownCode])), 404);
                    }
                    if (sent.code() != ErrorCode::kInvalidArgument) return sent;
                    return Html(FollowUpForm(page, FormErrorText(page, sent)), 400);
                  }
                }
                auto view = s->FollowUp(code, info);
                if (!view.ok()) {
                  if (view.status().code() == ErrorCode::kRateLimited) {
                    return Html(FollowUpForm(page, std::string(page.t()[kTooMany])), 429);
                  }
                  if (view.status().code() == ErrorCode::kNotFound) {
                    return Html(FollowUpForm(page, std::string(page.t()[kUnknownCode])), 404);
                  }
                  return view.status();
                }
                return Html(FollowUpPage(page, code, *view));
              },
              .max_body = 16 * 1024,
              .summary = "Status and messages of a report, with its receipt code; send a message",
              .tag = "report"});

  router.Add({.method = "POST",
              .pattern = "/report/follow-up/new-code",
              .access = http::Access::kPublic,
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto form, ParseForm(ctx.request));
                const Page page = PageFor(ctx.request, &form);
                const RequestInfo info{ctx.request.remote_address, ctx.request.request_id};
                auto replaced = s->ReplaceReceiptCode(Value(form, "code"), info);
                if (!replaced.ok()) {
                  if (replaced.status().code() == ErrorCode::kRateLimited) {
                    return Html(FollowUpForm(page, std::string(page.t()[kTooMany])), 429);
                  }
                  if (replaced.status().code() == ErrorCode::kNotFound ||
                      replaced.status().code() == ErrorCode::kConflict) {
                    return Html(FollowUpForm(page, std::string(page.t()[kUnknownCode])), 404);
                  }
                  return replaced.status();
                }
                return Html(CodePage(page, kNewCodeTitle, kCount, *replaced, kNewCodeKeep), 201);
              },
              .max_body = 16 * 1024,
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
              .summary = "The quick exit's script (the pages work without it)",
              .tag = "report"});
}

}  // namespace psea::intake

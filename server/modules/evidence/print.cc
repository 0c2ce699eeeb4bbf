#include "modules/evidence/print.h"

#include <map>

#include "core/utf8.h"

namespace psea::evidence {

namespace {

using Catalog = std::map<std::string_view, std::string_view>;

const Catalog& English() {
  static const Catalog catalog = {
      {"title", "Chain of custody"},
      {"case", "Case"},
      {"item", "Evidence item"},
      {"description", "Description"},
      {"collected_by", "Collected by"},
      {"collected_at", "Collected at"},
      {"place_collected", "Place collected"},
      {"storage_location", "Storage location"},
      {"status", "Status"},
      {"custody", "Transfers of custody"},
      {"seq", "No."},
      {"from", "From"},
      {"to", "To"},
      {"when", "When"},
      {"purpose", "Purpose"},
      {"recorded_by", "Recorded by"},
      {"hash", "Entry hash (SHA-256)"},
      {"attachments", "Attachments"},
      {"filename", "File"},
      {"size", "Bytes"},
      {"sha256", "SHA-256 of the content"},
      {"state", "Check"},
      {"none", "None."},
      {"verdict", "Integrity check"},
      {"intact", "Intact: every custody entry matches its hash and every file its SHA-256."},
      {"damaged", "NOT INTACT: the record or a file was changed after it was written."},
      {"printed", "Printed by %1 on %2 UTC."},
      {"signatures", "Signatures"},
      {"s_intact", "intact"},
      {"s_missing", "file missing"},
      {"s_undecryptable", "file damaged"},
      {"s_mismatch", "content changed"},
      {"held", "held"},
      {"transferred", "transferred"},
      {"returned", "returned"},
      {"destroyed", "destroyed"},
      {"collection", "collection"},
  };
  return catalog;
}

const Catalog& French() {
  static const Catalog catalog = {
      {"title", "Chaîne de possession"},
      {"case", "Dossier"},
      {"item", "Élément de preuve"},
      {"description", "Description"},
      {"collected_by", "Collecté par"},
      {"collected_at", "Collecté le"},
      {"place_collected", "Lieu de collecte"},
      {"storage_location", "Lieu de conservation"},
      {"status", "Statut"},
      {"custody", "Transferts de possession"},
      {"seq", "N°"},
      {"from", "De"},
      {"to", "À"},
      {"when", "Date"},
      {"purpose", "Motif"},
      {"recorded_by", "Enregistré par"},
      {"hash", "Empreinte de l'entrée (SHA-256)"},
      {"attachments", "Pièces jointes"},
      {"filename", "Fichier"},
      {"size", "Octets"},
      {"sha256", "SHA-256 du contenu"},
      {"state", "Vérification"},
      {"none", "Aucune."},
      {"verdict", "Contrôle d'intégrité"},
      {"intact",
       "Intègre\u00a0: chaque entrée correspond à son empreinte et chaque fichier à son SHA-256."},
      {"damaged",
       "NON INTÈGRE\u00a0: l'enregistrement ou un fichier a été modifié après son écriture."},
      {"printed", "Imprimé par %1 le %2 UTC."},
      {"signatures", "Signatures"},
      {"s_intact", "intègre"},
      {"s_missing", "fichier absent"},
      {"s_undecryptable", "fichier endommagé"},
      {"s_mismatch", "contenu modifié"},
      {"held", "conservé"},
      {"transferred", "transféré"},
      {"returned", "restitué"},
      {"destroyed", "détruit"},
      {"collection", "collecte"},
  };
  return catalog;
}

constexpr std::string_view kStyle =
    "body{font-family:sans-serif;font-size:11pt;margin:2em;color:#000}"
    "h1{font-size:16pt}h2{font-size:13pt;margin-top:1.5em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #444;padding:4px;text-align:left;vertical-align:top}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dt{font-weight:bold}"
    ".hash{font-family:monospace;font-size:8pt;word-break:break-all}"
    ".ok{border:2px solid #060;padding:.5em}.bad{border:3px solid #a00;padding:.5em;"
    "font-weight:bold}.sign{height:4em}"
    "@media print{body{margin:0;font-size:10pt}@page{size:A4;margin:15mm}"
    "tr{page-break-inside:avoid}h2{page-break-after:avoid}}";

}  // namespace

std::string RenderCustodyHtml(const CustodyReport& report, std::string_view language) {
  const bool french = language == "fr";
  const Catalog& catalog = french ? French() : English();
  auto t = [&catalog](std::string_view key) -> std::string {
    auto found = catalog.find(key);
    return found == catalog.end() ? std::string(key) : std::string(found->second);
  };
  // Known words are translated, free text is shown as written.
  auto word = [&](const std::string& value) {
    auto found = catalog.find(value);
    return EscapeMarkup(found == catalog.end() ? value : std::string(found->second));
  };
  auto e = [](const std::string& text) { return EscapeMarkup(text); };
  const Item& item = report.item;
  std::string out;
  out.reserve(8192);
  out += "<!DOCTYPE html><html lang=\"";
  out += french ? "fr" : "en";
  out += "\"><head><meta charset=\"utf-8\"><title>" + t("title") + " - " +
         e(report.case_reference) + " - " + e(item.label) + "</title><style>";
  out += kStyle;
  out += "</style></head><body><h1>" + t("title") + "</h1><dl>";
  auto field = [&](std::string_view key, const std::string& escaped) {
    out += "<dt>" + t(key) + "</dt><dd>" + escaped + "</dd>";
  };
  field("case", e(report.case_reference));
  field("item", e(item.label) + " (#" + std::to_string(item.id) + ")");
  field("description", e(item.description));
  field("collected_by", e(item.collected_by));
  field("collected_at", e(FormatIso8601(item.collected_at)));
  field("place_collected", e(item.place_collected));
  field("storage_location", e(item.storage_location));
  field("status", word(item.status));
  out += "</dl><h2>" + t("custody") + "</h2><table><thead><tr><th>" + t("seq") + "</th><th>" +
         t("from") + "</th><th>" + t("to") + "</th><th>" + t("when") + "</th><th>" + t("purpose") +
         "</th><th>" + t("status") + "</th><th>" + t("storage_location") + "</th><th>" +
         t("recorded_by") + "</th><th>" + t("hash") + "</th></tr></thead><tbody>";
  for (const auto& entry : item.custody) {
    out += "<tr><td>" + std::to_string(entry.seq) + "</td><td>" + e(entry.from_holder) +
           "</td><td>" + e(entry.to_holder) + "</td><td>" + e(FormatIso8601(entry.at)) +
           "</td><td>" + word(entry.purpose) + "</td><td>" + word(entry.status) + "</td><td>" +
           e(entry.storage_location) + "</td><td>" + e(entry.recorded_by_username) + " " +
           e(FormatIso8601(entry.recorded_at)) + "</td><td class=\"hash\">" + e(entry.hash) +
           "</td></tr>";
  }
  out += "</tbody></table><h2>" + t("attachments") + "</h2>";
  if (report.integrity.attachments.empty()) {
    out += "<p>" + t("none") + "</p>";
  } else {
    out += "<table><thead><tr><th>" + t("filename") + "</th><th>" + t("size") + "</th><th>" +
           t("sha256") + "</th><th>" + t("state") + "</th></tr></thead><tbody>";
    for (const auto& check : report.integrity.attachments) {
      std::int64_t size = 0;
      for (const auto& a : item.attachments) {
        if (a.id == check.id) size = a.size;
      }
      out += "<tr><td>" + e(check.filename) + "</td><td>" + std::to_string(size) +
             "</td><td class=\"hash\">" + e(check.sha256) + "</td><td>" + t("s_" + check.state) +
             "</td></tr>";
    }
    out += "</tbody></table>";
  }
  out += "<h2>" + t("verdict") + "</h2>";
  if (report.integrity.intact()) {
    out += "<p class=\"ok\">" + t("intact") + "</p>";
  } else {
    out += "<div class=\"bad\"><p>" + t("damaged") + "</p><ul>";
    for (const auto& problem : report.integrity.custody_problems) {
      out += "<li>" + e(problem) + "</li>";
    }
    out += "</ul></div>";
  }
  std::string printed = t("printed");
  printed.replace(printed.find("%1"), 2, e(report.printed_by));
  printed.replace(printed.find("%2"), 2, e(FormatIso8601(report.printed_at)));
  out += "<p>" + printed + "</p><h2>" + t("signatures") + "</h2><table><tbody>";
  for (int i = 0; i < 2; ++i) out += "<tr><td class=\"sign\"></td><td class=\"sign\"></td></tr>";
  out += "</tbody></table></body></html>";
  return out;
}

}  // namespace psea::evidence

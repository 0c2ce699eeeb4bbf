#include "modules/plan/plan_file.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <regex>
#include <set>

namespace psea::plan {

namespace {

// Throws out of the recursive reader with the first error; caught in ParsePlanFile.
struct PlanFileError {
  std::string path;
  int line;
  std::string message;
};

[[noreturn]] void Fail(const std::string& path, const YAML::Node& node,
                       const std::string& message) {
  const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
  throw PlanFileError{path, line, message};
}

// A fragment the transcription could not read is marked "[illegible]" and nothing else:
// another spelling would be shown as if the source said it.
void CheckIllegibleMarkers(const std::string& text, const std::string& field,
                           const YAML::Node& node) {
  std::string lower = text;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t pos = 0;
  while ((pos = lower.find("[illegible", pos)) != std::string::npos) {
    if (text.compare(pos, kIllegibleMarker.size(), kIllegibleMarker) != 0) {
      Fail(field, node, "must mark an unreadable fragment exactly as [illegible]");
    }
    pos += kIllegibleMarker.size();
  }
  for (const char* other : {"[unreadable", "[illisible", "[...]", "[\xe2\x80\xa6]", "[?]"}) {
    if (lower.find(other) != std::string::npos) {
      Fail(field, node, "must mark an unreadable fragment as [illegible]");
    }
  }
}

class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path) : node_(node), path_(std::move(path)) {
    if (!node_.IsMap()) Fail(path_.empty() ? "(document)" : path_, node_, "must be a mapping");
  }

  std::string Field(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  YAML::Node Get(const std::string& key) {
    seen_.insert(key);
    return node_[key];
  }

  std::string RequiredText(const std::string& key, std::size_t max_chars = 20000) {
    YAML::Node value = Get(key);
    if (!value.IsDefined() || value.IsNull()) Fail(Field(key), node_, "is required");
    return Text(value, Field(key), max_chars);
  }

  std::string OptionalText(const std::string& key, std::size_t max_chars = 20000) {
    YAML::Node value = Get(key);
    if (!value.IsDefined() || value.IsNull()) return {};
    return Text(value, Field(key), max_chars);
  }

  static std::string Text(const YAML::Node& value, const std::string& field,
                          std::size_t max_chars) {
    if (!value.IsScalar()) Fail(field, value, "must be text");
    std::string text = value.Scalar();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      Fail(field, value, "must not be empty");
    if (text.size() > max_chars) Fail(field, value, "is too long");
    CheckIllegibleMarkers(text, field, value);
    return text;
  }

  std::vector<std::string> OptionalTextList(const std::string& key) {
    YAML::Node value = Get(key);
    std::vector<std::string> out;
    if (!value.IsDefined() || value.IsNull()) return out;
    if (!value.IsSequence() || value.size() == 0) {
      Fail(Field(key), value, "must be a list with at least one item");
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(Text(value[i], Field(key) + "[" + std::to_string(i) + "]", 20000));
    }
    return out;
  }

  // Unknown fields are errors: a misspelt name must not drop data silently.
  void Finish() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!seen_.count(key)) Fail(Field(key), it->first, "is not a field of this format");
    }
  }

  const YAML::Node& node() const { return node_; }

 private:
  YAML::Node node_;
  std::string path_;
  std::set<std::string> seen_;
};

int ParseInt(const YAML::Node& value, const std::string& field, int min, int max) {
  if (!value.IsScalar()) Fail(field, value, "must be a whole number");
  const std::string& text = value.Scalar();
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    Fail(field, value, "must be a whole number");
  }
  const int number = std::stoi(text);
  if (number < min || number > max) {
    Fail(field, value, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return number;
}

bool IsRoman(const std::string& text) {
  static const std::regex roman("^(x{0,3})(ix|iv|v?i{0,3})$");
  return !text.empty() && std::regex_match(text, roman);
}

GoalDoc ReadGoal(const YAML::Node& node, const std::string& path, const std::string& pillar_key) {
  MapReader reader(node, path);
  GoalDoc goal;
  YAML::Node number = reader.Get("number");
  if (!number.IsDefined()) Fail(reader.Field("number"), node, "is required");
  goal.number = ParseInt(number, reader.Field("number"), 1, 999);
  goal.title = reader.RequiredText("title", 2000);
  goal.references = reader.OptionalTextList("references");
  YAML::Node activities = reader.Get("activities");
  if (!activities.IsDefined() || !activities.IsSequence() || activities.size() == 0) {
    Fail(reader.Field("activities"), activities.IsDefined() ? activities : node,
         "must list at least one activity");
  }
  std::set<std::string> letters;
  for (std::size_t i = 0; i < activities.size(); ++i) {
    const std::string item_path = reader.Field("activities") + "[" + std::to_string(i) + "]";
    MapReader item(activities[i], item_path);
    ActivityDoc activity;
    activity.letter = item.RequiredText("letter", 2);
    if (!std::regex_match(activity.letter, std::regex("^[a-z]{1,2}$"))) {
      Fail(item.Field("letter"), activities[i]["letter"], "must be one or two lowercase letters");
    }
    if (!letters.insert(activity.letter).second) {
      Fail(item.Field("letter"), activities[i]["letter"],
           "(" + activity.letter + ") appears twice in this goal");
    }
    activity.text = item.RequiredText("text", 4000);
    activity.second_pillar = item.OptionalText("second_pillar", 64);
    if (!activity.second_pillar.empty()) {
      if (!IsPillarKey(activity.second_pillar)) {
        Fail(item.Field("second_pillar"), activities[i]["second_pillar"],
             "must be one of prevention, enforcement, remedial_action");
      }
      if (activity.second_pillar == pillar_key) {
        Fail(item.Field("second_pillar"), activities[i]["second_pillar"],
             "is the pillar of the activity's own goal");
      }
    }
    const std::string frequency = item.OptionalText("frequency", 32);
    if (!frequency.empty()) {
      activity.frequency = ParseFrequency(frequency);
      if (!activity.frequency) {
        Fail(item.Field("frequency"), activities[i]["frequency"],
             "must be one of none, weekly, biweekly, monthly, quarterly, biannual, per_event");
      }
    }
    item.Finish();
    goal.activities.push_back(std::move(activity));
  }
  YAML::Node results = reader.Get("expected_results");
  if (results.IsDefined() && !results.IsNull()) {
    if (!results.IsSequence() || results.size() == 0) {
      Fail(reader.Field("expected_results"), results, "must be a list with at least one result");
    }
    std::set<std::string> numerals;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const std::string item_path =
          reader.Field("expected_results") + "[" + std::to_string(i) + "]";
      MapReader item(results[i], item_path);
      ResultDoc result;
      result.numeral = item.RequiredText("numeral", 8);
      if (!IsRoman(result.numeral)) {
        Fail(item.Field("numeral"), results[i]["numeral"], "must be a lowercase roman numeral");
      }
      if (!numerals.insert(result.numeral).second) {
        Fail(item.Field("numeral"), results[i]["numeral"],
             "(" + result.numeral + ") appears twice in this goal");
      }
      result.text = item.RequiredText("text", 4000);
      item.Finish();
      goal.expected_results.push_back(std::move(result));
    }
  }
  goal.partners = reader.OptionalText("partners", 4000);
  goal.status = reader.OptionalText("status", 4000);
  goal.follow_up = reader.OptionalText("follow_up", 8000);
  YAML::Node months = reader.Get("months");
  if (months.IsDefined() && !months.IsNull()) {
    if (!months.IsSequence() || months.size() == 0) {
      Fail(reader.Field("months"), months, "must be a list of at least one month 1-12");
    }
    std::set<int> seen;
    for (std::size_t i = 0; i < months.size(); ++i) {
      const int month =
          ParseInt(months[i], reader.Field("months") + "[" + std::to_string(i) + "]", 1, 12);
      if (!seen.insert(month).second)
        Fail(reader.Field("months"), months[i], "lists a month twice");
      goal.months.push_back(month);
    }
  }
  reader.Finish();
  return goal;
}

PlanDocument ReadDocument(const YAML::Node& root) {
  MapReader reader(root, "");
  PlanDocument plan;
  const std::string format = reader.RequiredText("format", 64);
  if (format != "psea-plan/1") Fail("format", root["format"], "must be psea-plan/1");
  plan.key = reader.RequiredText("key", 64);
  if (!std::regex_match(plan.key, std::regex("^[a-z0-9-]{2,64}$"))) {
    Fail("key", root["key"], "must be 2-64 of a-z, 0-9 and '-'");
  }
  plan.version = reader.RequiredText("version", 64);
  plan.title = reader.RequiredText("title", 500);
  plan.mission = reader.RequiredText("mission", 200);
  YAML::Node period = reader.Get("period");
  if (!period.IsDefined()) Fail("period", root, "is required");
  {
    MapReader period_reader(period, "period");
    const std::string start = period_reader.RequiredText("start", 7);
    const std::string end = period_reader.RequiredText("end", 7);
    auto start_month = ParseMonth(start);
    auto end_month = ParseMonth(end);
    if (!start_month) Fail("period.start", period["start"], "must be YYYY-MM");
    if (!end_month) Fail("period.end", period["end"], "must be YYYY-MM");
    if (*end_month < *start_month) Fail("period.end", period["end"], "is before period.start");
    if (*end_month - *start_month > 12 * 10)
      Fail("period.end", period["end"], "is more than ten years after the start");
    period_reader.Finish();
    plan.period_start = *start_month;
    plan.period_end = *end_month;
  }
  plan.supersedes = reader.OptionalText("supersedes", 2000);
  plan.context = reader.OptionalText("context");
  plan.purpose = reader.OptionalText("purpose");
  YAML::Node principles = reader.Get("core_principles");
  if (principles.IsDefined() && !principles.IsNull()) {
    MapReader principles_reader(principles, "core_principles");
    plan.principles_intro = principles_reader.OptionalText("intro");
    if (!principles["items"].IsDefined() || principles["items"].IsNull()) {
      Fail("core_principles.items", principles, "is required");
    }
    plan.principles = principles_reader.OptionalTextList("items");
    principles_reader.Finish();
  }
  plan.reference_materials = reader.OptionalTextList("reference_materials");
  YAML::Node pillars = reader.Get("pillars");
  if (!pillars.IsDefined() || !pillars.IsSequence() || pillars.size() == 0) {
    Fail("pillars", pillars.IsDefined() ? pillars : root, "must list at least one pillar");
  }
  std::set<std::string> pillar_keys;
  for (std::size_t p = 0; p < pillars.size(); ++p) {
    const std::string path = "pillars[" + std::to_string(p) + "]";
    MapReader pillar_reader(pillars[p], path);
    PillarDoc pillar;
    pillar.key = pillar_reader.RequiredText("key", 64);
    if (!IsPillarKey(pillar.key)) {
      Fail(pillar_reader.Field("key"), pillars[p]["key"],
           "must be one of prevention, enforcement, remedial_action");
    }
    if (!pillar_keys.insert(pillar.key).second) {
      Fail(pillar_reader.Field("key"), pillars[p]["key"], "appears twice");
    }
    pillar.title = pillar_reader.RequiredText("title", 500);
    pillar.objective = pillar_reader.OptionalText("objective", 4000);
    YAML::Node goals = pillar_reader.Get("goals");
    if (!goals.IsDefined() || !goals.IsSequence() || goals.size() == 0) {
      Fail(pillar_reader.Field("goals"), goals.IsDefined() ? goals : pillars[p],
           "must list at least one goal");
    }
    std::set<int> numbers;
    for (std::size_t g = 0; g < goals.size(); ++g) {
      const std::string goal_path = pillar_reader.Field("goals") + "[" + std::to_string(g) + "]";
      GoalDoc goal = ReadGoal(goals[g], goal_path, pillar.key);
      if (!numbers.insert(goal.number).second) {
        Fail(goal_path + ".number", goals[g]["number"],
             "goal " + std::to_string(goal.number) + " appears twice in this pillar");
      }
      pillar.goals.push_back(std::move(goal));
    }
    pillar_reader.Finish();
    plan.pillars.push_back(std::move(pillar));
  }
  reader.Finish();
  return plan;
}

}  // namespace

Result<PlanDocument> ParsePlanFile(std::string_view yaml_text) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root.IsDefined() || root.IsNull()) {
      return Unprocessable("line 1: the plan file is empty", "(document)");
    }
    return ReadDocument(root);
  } catch (const PlanFileError& error) {
    return Unprocessable(
        "line " + std::to_string(error.line) + ": " + error.path + " " + error.message, error.path);
  } catch (const YAML::Exception& error) {
    return Unprocessable("line " + std::to_string(error.mark.line + 1) +
                             ": the file is not valid YAML: " + error.msg,
                         "(document)");
  }
}

}  // namespace psea::plan

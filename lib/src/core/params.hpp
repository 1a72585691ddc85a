#pragma once

#include "distribution.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace h2sim::params {

/**
 * Parameters declared once, next to the struct that holds them: each field's key, the member it
 * fills, its bounds, unit and description, and whether it may be absent (then the struct's own
 * default stands, or a std::optional stays empty). The scenario reader validates and fills structs
 * from these tables, `h2sim schema` prints them; models never see the file format.
 */
enum class Kind {
  number,         // double
  integer,        // int
  text,           // std::string
  choice,         // std::string, one of `choices`
  choices,        // std::vector<std::string>, each one of `choices`
  distribution,   // Distribution: a number, or an object naming its `dist`
  numbers,        // std::vector<double>
  object,         // a struct with a table of its own
  list,           // std::vector of such structs
  model,          // Model: a name from a catalog, and that model's parameters
  count_or_names, // CountOrNames: an integer, or a list of names of another list's items
  settings,       // Settings: an object of PATH: VALUE (a scheduled event's changes)
  number_or_auto, // NumberOrAuto: a number, or "auto" (the program chooses it from the run)
};

/** PATH: VALUE pairs in the path language of --set, each value as JSON text, in file order. */
using Settings = std::vector<std::pair<std::string, std::string>>;

/** A number of items, or the items named (`open_stations`: 10, or ["S1", "S4"]). */
struct CountOrNames {
  std::optional<long long> count;
  std::vector<std::string> names; // empty unless given as a list
  bool given() const { return count.has_value() || !names.empty(); }
};

/** A number, or "auto": chosen by the program (`warmup_days`: 1, or "auto"). */
struct NumberOrAuto {
  double value = 0; // when not automatic
  bool automatic = false;
};

struct Bounds {
  std::optional<double> minimum;
  std::optional<double> exclusive_minimum;
  std::optional<double> maximum;
  std::optional<double> exclusive_maximum;
};

struct Table;
struct Catalog;

/** One parameter of a struct. Accessors take and give the struct as `void*` (the table's type). */
struct Field {
  std::string key;
  std::string description;
  Kind kind = Kind::number;
  bool required = true;
  bool optional_member = false; // held in a std::optional: absent means empty
  Bounds bounds;                // numbers; for distributions, their location parameters
  std::vector<std::string> choices;
  std::size_t min_items = 0; // numbers, choices, list
  bool exact_items = false;  // numbers: exactly min_items (24 hours, [open_h, close_h])
  bool changeable = false;   // a scheduled event may change it during a run (the model follows)
  bool non_empty = false;    // text: "" is refused (an id, a file name)
  std::string unique;        // list: the key whose values must differ between items ("id")
  /** text: the value names an item of another list, e.g. {"/pipelines", "id", "pipeline"}. */
  struct Reference {
    std::string list; // a JSON pointer from the document's root
    std::string key;
    std::string noun;
  };
  std::optional<Reference> refers_to;
  const Table* table = nullptr;     // object, list
  const Catalog* catalog = nullptr; // model
  /** The member in `owner`; an empty std::optional member is emplaced first. */
  std::function<void*(void* owner)> at;
  /** The member in `owner`, or null when it is an empty std::optional. */
  std::function<const void*(const void* owner)> find;
  /** number, integer: stores a value (converted to the member's type), reads it back. */
  std::function<void(void* owner, double value)> set_number;
  std::function<double(const void* owner)> get_number;
  // list: a new item at the end of the vector, the number of items, one item (to read, to write).
  std::function<void*(void* owner)> append;
  std::function<std::size_t(const void* owner)> size;
  std::function<const void*(const void* owner, std::size_t index)> item;
  std::function<void*(void* owner, std::size_t index)> item_at;

  Field&& describe(std::string text) && {
    description = std::move(text);
    return std::move(*this);
  }
  Field&& optional() && {
    required = false;
    return std::move(*this);
  }
  Field&& at_least(double value) && {
    bounds.minimum = value;
    return std::move(*this);
  }
  Field&& above(double value) && {
    bounds.exclusive_minimum = value;
    return std::move(*this);
  }
  Field&& at_most(double value) && {
    bounds.maximum = value;
    return std::move(*this);
  }
  Field&& below(double value) && {
    bounds.exclusive_maximum = value;
    return std::move(*this);
  }
  Field&& items(std::size_t minimum) && {
    min_items = minimum;
    return std::move(*this);
  }
  Field&& exactly_items(std::size_t count) && {
    min_items = count;
    exact_items = true;
    return std::move(*this);
  }
  Field&& not_empty() && {
    non_empty = true;
    return std::move(*this);
  }
  /** A scheduled event may change it during a run: the model reads it anew from then on. */
  Field&& changes_during_run() && {
    changeable = true;
    return std::move(*this);
  }
  Field&& unique_by(std::string item_key) && {
    unique = std::move(item_key);
    return std::move(*this);
  }
  Field&& refers(std::string list, std::string item_key, std::string noun) && {
    refers_to = Reference{std::move(list), std::move(item_key), std::move(noun)};
    return std::move(*this);
  }
};

/** Reports problems of a struct found by its rules, at a pointer relative to the struct. */
class Checker {
public:
  virtual ~Checker() = default;
  /** Whether the value at `relative` (e.g. "capacity_kg", "../storage/capacity_kg") is valid. */
  virtual bool valid(const std::string& relative) const = 0;
  /** Whether the document has a value (valid or not) at `relative`. */
  virtual bool present(const std::string& relative) const = 0;
  virtual void problem(const std::string& relative, std::string message) = 0;
};

/**
 * A struct's parameters, in declaration order (the order of messages and of `h2sim schema`), and
 * the rules between them that bounds cannot say.
 */
struct Table {
  std::string description;
  std::vector<Field> fields;
  std::function<std::shared_ptr<void>()> make; // a default-constructed struct
  /**
   * Rules between fields: run after reading, with every field's validity known. `context` is the
   * struct holding this one (for a model's parameters: the struct with the model field).
   */
  std::vector<std::function<void(const void* self, const void* context, Checker& checker)>> rules;
};

/** A pluggable part: the model's name in its catalog and its parameters. */
class Model {
public:
  Model() = default;
  Model(std::string name, std::shared_ptr<void> params)
      : name_(std::move(name)), params_(std::move(params)) {}
  const std::string& name() const { return name_; }
  /** The parameters, as the struct the model's table describes. */
  template <class P> const P& as() const { return *static_cast<const P*>(params_.get()); }
  /** The parameters, to complete them while loading (a trace's rows). */
  template <class P> P& edit() { return *static_cast<P*>(params_.get()); }
  bool has_params() const { return params_ != nullptr; }
  const void* params() const { return params_.get(); }

private:
  std::string name_;
  std::shared_ptr<void> params_;
};

/** The models of one kind (supply, demand, ...): the key naming one, and each one's table. */
struct Catalog {
  std::string tag; // the key holding the model's name: "model", "policy"
  std::string description;
  std::vector<std::pair<std::string, const Table*>> models;
  /** The model used when the whole object is absent (empty: it is required). */
  std::string absent;
  const Table* find(const std::string& name) const {
    for (const auto& [model, table] : models) {
      if (model == name) {
        return table;
      }
    }
    return nullptr;
  }
};

namespace detail {
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type { using type = T; };
template <class T>
using value_t =
    typename std::conditional_t<is_optional<T>::value, is_optional<T>, std::type_identity<T>>::type;

template <class S, class Access> Field bind(std::string key, Access access, Kind kind) {
  using Member = std::remove_reference_t<std::invoke_result_t<Access, S&>>;
  Field field;
  field.key = std::move(key);
  field.kind = kind;
  field.optional_member = is_optional<Member>::value;
  field.required = !is_optional<Member>::value;
  field.at = [access](void* owner) -> void* {
    Member& member = std::invoke(access, *static_cast<S*>(owner));
    if constexpr (is_optional<Member>::value) {
      if (!member) {
        member.emplace();
      }
      return &*member;
    } else {
      return &member;
    }
  };
  field.find = [access](const void* owner) -> const void* {
    Member& member = std::invoke(access, *const_cast<S*>(static_cast<const S*>(owner)));
    if constexpr (is_optional<Member>::value) {
      return member ? &*member : nullptr;
    } else {
      return &member;
    }
  };
  return field;
}
} // namespace detail

/** Declares the fields of struct `S`; `access` is a member pointer or a function of `S&`. */
template <class S> struct Of {
  template <class Access> static Field number(std::string key, Access access) {
    return numeric<Access, double>(std::move(key), access, Kind::number);
  }
  /** An integer member of any integral type (int, std::uint64_t, ...). */
  template <class Access> static Field integer(std::string key, Access access) {
    using Value = detail::value_t<std::remove_reference_t<std::invoke_result_t<Access, S&>>>;
    static_assert(std::is_integral_v<Value>);
    return numeric<Access, Value>(std::move(key), access, Kind::integer);
  }
  template <class Access> static Field text(std::string key, Access access) {
    static_assert(
        std::is_same_v<detail::value_t<std::remove_reference_t<std::invoke_result_t<Access, S&>>>,
                       std::string>);
    return detail::bind<S>(std::move(key), access, Kind::text);
  }
  template <class Access>
  static Field choice(std::string key, Access access, std::vector<std::string> choices) {
    Field field = detail::bind<S>(std::move(key), access, Kind::choice);
    field.choices = std::move(choices);
    return field;
  }
  template <class Access>
  static Field choices(std::string key, Access access, std::vector<std::string> choices) {
    Field field = detail::bind<S>(std::move(key), access, Kind::choices);
    field.choices = std::move(choices);
    return field;
  }
  template <class Access> static Field distribution(std::string key, Access access) {
    return detail::bind<S>(std::move(key), access, Kind::distribution);
  }
  template <class Access> static Field numbers(std::string key, Access access) {
    return detail::bind<S>(std::move(key), access, Kind::numbers);
  }
  template <class Access> static Field object(std::string key, Access access, const Table& table) {
    Field field = detail::bind<S>(std::move(key), access, Kind::object);
    field.table = &table;
    return field;
  }
  template <class Access> static Field list(std::string key, Access access, const Table& table) {
    using Vector = std::remove_reference_t<std::invoke_result_t<Access, S&>>;
    Field field = detail::bind<S>(std::move(key), access, Kind::list);
    field.table = &table;
    field.append = [access](void* owner) -> void* {
      return &std::invoke(access, *static_cast<S*>(owner)).emplace_back();
    };
    field.size = [access](const void* owner) {
      return std::invoke(access, *const_cast<S*>(static_cast<const S*>(owner))).size();
    };
    field.item = [access](const void* owner, std::size_t index) -> const void* {
      const Vector& items = std::invoke(access, *const_cast<S*>(static_cast<const S*>(owner)));
      return &items[index];
    };
    field.item_at = [access](void* owner, std::size_t index) -> void* {
      return &std::invoke(access, *static_cast<S*>(owner))[index];
    };
    return field;
  }
  /** An integer within the bounds, or a list (at least `items`) of distinct names that `refers`. */
  template <class Access> static Field count_or_names(std::string key, Access access) {
    Field field = detail::bind<S>(std::move(key), access, Kind::count_or_names);
    field.required = false;
    return field;
  }
  /** A number within the bounds, or the word "auto". */
  template <class Access> static Field number_or_auto(std::string key, Access access) {
    static_assert(
        std::is_same_v<detail::value_t<std::remove_reference_t<std::invoke_result_t<Access, S&>>>,
                       NumberOrAuto>);
    Field field = detail::bind<S>(std::move(key), access, Kind::number_or_auto);
    field.set_number = [at = field.at](void* owner, double value) {
      static_cast<NumberOrAuto*>(at(owner))->value = value;
    };
    field.get_number = [find = field.find](const void* owner) {
      const void* member = find(owner);
      return member == nullptr ? 0.0 : static_cast<const NumberOrAuto*>(member)->value;
    };
    return field;
  }
  template <class Access> static Field settings(std::string key, Access access) {
    static_assert(
        std::is_same_v<std::remove_reference_t<std::invoke_result_t<Access, S&>>, Settings>);
    return detail::bind<S>(std::move(key), access, Kind::settings);
  }
  template <class Access>
  static Field model(std::string key, Access access, const Catalog& catalog) {
    Field field = detail::bind<S>(std::move(key), access, Kind::model);
    field.catalog = &catalog;
    return field;
  }

  using Rule = std::function<void(const void*, const void*, Checker&)>;

  /** A rule between fields of `S`. */
  static Rule rule(std::function<void(const S&, Checker&)> check) {
    return [check = std::move(check)](const void* self, const void*, Checker& checker) {
      check(*static_cast<const S*>(self), checker);
    };
  }
  /** A rule that also looks at the struct holding this one (of type `Context`). */
  template <class Context>
  static Rule rule_in(std::function<void(const S&, const Context&, Checker&)> check) {
    return [check = std::move(check)](const void* self, const void* context, Checker& checker) {
      check(*static_cast<const S*>(self), *static_cast<const Context*>(context), checker);
    };
  }

  template <class Access, class Value>
  static Field numeric(std::string key, Access access, Kind kind) {
    static_assert(
        std::is_same_v<detail::value_t<std::remove_reference_t<std::invoke_result_t<Access, S&>>>,
                       Value>);
    Field field = detail::bind<S>(std::move(key), access, kind);
    field.set_number = [at = field.at](void* owner, double value) {
      *static_cast<Value*>(at(owner)) = static_cast<Value>(value);
    };
    field.get_number = [find = field.find](const void* owner) {
      const void* member = find(owner);
      return member == nullptr ? 0.0 : static_cast<double>(*static_cast<const Value*>(member));
    };
    return field;
  }

  /** A table of `S`'s fields and the rules between them. */
  static Table table(std::string description, std::vector<Field> fields,
                     std::vector<Rule> rules = {}) {
    Table table;
    table.description = std::move(description);
    table.fields = std::move(fields);
    table.make = [] { return std::static_pointer_cast<void>(std::make_shared<S>()); };
    table.rules = std::move(rules);
    return table;
  }
};

} // namespace h2sim::params

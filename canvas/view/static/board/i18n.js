// Interface strings from the page's catalogue. A value is a string, or an object of CLDR
// plural forms ({"one": "{n} note", "other": "{n} notes"}; Welsh has zero, one, two, few,
// many and other) chosen by params.n. Items (anchors, personas) carry Welsh fields beside
// their English ones (title_cy): L() picks the page's language, falling back to English.

export function translator(strings, lang) {
  let rules = null
  try { rules = new Intl.PluralRules(lang) } catch (err) { rules = new Intl.PluralRules("en") }
  return (key, params = {}) => {
    let s = strings[key] ?? key
    if (s && typeof s === "object") {
      const form = typeof params.n === "number" ? rules.select(Math.abs(params.n)) : "other"
      s = s[form] ?? s.other ?? key
    }
    for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v))
    return s
  }
}

export function localiser(lang) {
  return (item, field) => (lang === "cy" && item?.[field + "_cy"]) || item?.[field] || ""
}

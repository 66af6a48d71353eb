# Strings hold printable text: control characters (but tab), surrogates and non-characters are E007,
# each at its position. Tab is allowed; escapes (\n, \t) are the way to write line breaks and tabs.
model "M" { scope: "tab	is fine, \n and \t escapes too" }
process web "Wx"
process esc "[31mred" { description: "bell and backspace" }
process ff "formfeed" { tags: ["del", "next line", "csi"] }
data nonchar "￾ and ﷐ and 􏿿"
assume "next lineand line separator   (allowed)"
process many ""

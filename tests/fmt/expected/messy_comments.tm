# file header

# second paragraph of the header
model "Comments" { version: "1" }  # trailing on a one-line block

data a  "A"   # trailing on data a
data bb "BB"  # trailing on data bb

# standalone before boundary
boundary b "B" {  # after the brace
  # first thing in the block
  trust: high  # after an attribute

  # before an element
  process p "P" {
    ingress: [  # after the bracket
      "a",  # after an item
      # between items
      "b",
    ]
    # last thing in the block
  }
  actor x "X" {
    # only a comment inside
  }
}

p -> x "Flow"  # inside a flow header

rule R "R" {
  # on the condition
  # inside the condition
  when: a and b
}
# trailing comment of the file

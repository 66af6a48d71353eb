model "M" { review_every: 90days }

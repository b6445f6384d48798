// expect: 3: syntax error: unexpected input (is a '}' or ')' missing?)
lr 1e-3, 3e-4
seed (0..4

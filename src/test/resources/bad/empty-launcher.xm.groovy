// expect: 1: no experiment('name') { ... } block
// and nothing but these comments

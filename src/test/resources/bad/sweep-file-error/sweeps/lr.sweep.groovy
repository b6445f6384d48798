// expect: 4: unknown name 'sed' in exclude { }; did you mean 'seed'?
lr 1e-3, 3e-4
seed 0..4
exclude { sed == 0 }

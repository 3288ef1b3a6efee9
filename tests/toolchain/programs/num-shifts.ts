// @checked
// Shift counts are masked by 31; operands go through ToInt32 (or ToUint32 for >>>).
const counts = [0, 1, 31, 32, 33, 63, 64, -1, -31, -32, -33];
const values = [1, -1, 0x7fffffff, -0x80000000, 0x12345678, 4294967295, 4294967296 + 3, -123456789];
for (const v of values) {
  for (const c of counts) {
    console.log(v, c, v << c, v >> c, v >>> c);
  }
}

export {};

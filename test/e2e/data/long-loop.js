// A loop of a hundred iterations with an off-by-one bound: for the collapsed terminal trace.
function sumTo(n) {
  let total = 0;
  for (let i = 1; i < n; i++) {
    total += i;
  }
  return total;
}

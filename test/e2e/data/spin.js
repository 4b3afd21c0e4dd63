// Never returns: for the signal tests.
function spin(n) {
  while (true) n++;
}

// @target: user
// join() of an array of class instances.
class Point {
  x = 1;
}
const points = [new Point(), new Point()];
console.log(points.join(",")); // expect: KEEL9117 "points.join"

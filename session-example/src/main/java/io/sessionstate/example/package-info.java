/**
 * A small Servlet web app on embedded Jetty that shows sessions at work, on one node or two: the
 * demo of the README. Run it with {@code java -jar session-example/target/session-example.jar}.
 */
@NullMarked
package io.sessionstate.example;

import org.jspecify.annotations.NullMarked;

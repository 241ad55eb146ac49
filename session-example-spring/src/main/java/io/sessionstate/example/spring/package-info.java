/** A Spring Boot shop whose cart and sign-in live in a sessionstate session. */
@NullMarked
package io.sessionstate.example.spring;

import org.jspecify.annotations.NullMarked;

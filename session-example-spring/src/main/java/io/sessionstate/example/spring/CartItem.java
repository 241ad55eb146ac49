package io.sessionstate.example.spring;

import java.io.Serializable;

/** One line of the cart, kept in the session. */
public record CartItem(String name, int quantity) implements Serializable {}

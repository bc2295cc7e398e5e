package dev.aigis.model.backend;

/** The wire API a backend speaks. Only OpenAI is implemented so far; the others arrive with provider adapters. */
public enum ApiSchema { OpenAI }

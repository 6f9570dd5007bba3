// Placeholder until the desktop shell lands (issue 3).
export {};

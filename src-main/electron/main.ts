// Placeholder until the desktop shell lands (issue 3).
import { app } from 'electron';

void app.whenReady();

import { useReducer } from 'react';
import type { ApiClient } from '../api/client';
import { ClientContext } from '../api/client-context';
import type { TokenStore } from '../api/token-store';
import { ToastProvider } from '../features/feedback/toasts';
import { loadViewState, useViewPersistence } from '../features/filters/use-view-persistence';
import { EMPTY_SELECTION } from '../features/selection/selection';
import { SignInScreen } from '../features/sign-in/SignInScreen';
import { useAuth } from '../features/sign-in/use-auth';
import { deskReducer, type DeskState } from './desk-state';
import { Workspace } from './Workspace';

const initialDesk = (): DeskState => ({ view: loadViewState(), selection: EMPTY_SELECTION });

export function App({ client, tokens }: { client: ApiClient; tokens: TokenStore | null }) {
  // Above the sign-in gate: an expired session loses no filter, sort or selection.
  const [desk, dispatch] = useReducer(deskReducer, undefined, initialDesk);
  useViewPersistence(desk.view);
  const auth = useAuth(client, tokens);
  const showWorkspace = !auth.needsSignIn || auth.expired;

  return (
    <ClientContext.Provider value={client}>
      <ToastProvider>
        {showWorkspace ? (
          <Workspace desk={desk} dispatch={dispatch} epoch={auth.epoch} inert={auth.needsSignIn} />
        ) : null}
        {auth.needsSignIn ? <SignInScreen expired={auth.expired} onSignIn={auth.signIn} /> : null}
      </ToastProvider>
    </ClientContext.Provider>
  );
}

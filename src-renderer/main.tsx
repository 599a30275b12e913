import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider, createTheme } from '@mui/material/styles';
import { App } from './App.js';
import { connect } from './transport.js';

const theme = createTheme({ palette: { mode: 'dark', primary: { main: '#7cb7ff' } } });
const connection = connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <App connection={connection} />
    </ThemeProvider>
  </StrictMode>,
);

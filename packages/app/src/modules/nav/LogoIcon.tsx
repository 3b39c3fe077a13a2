import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  text: { fontSize: 28, fontWeight: 700, color: '#7df3e1' },
});

/** The Vitals mark, shown when the sidebar is closed. */
export const LogoIcon = () => {
  const classes = useStyles();
  return <span className={classes.text}>♥</span>;
};

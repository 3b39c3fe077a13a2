import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  text: {
    fontSize: 28,
    fontWeight: 700,
    letterSpacing: 1,
    color: '#7df3e1',
    whiteSpace: 'nowrap',
  },
});

/** The Vitals word mark, shown when the sidebar is open. */
export const LogoFull = () => {
  const classes = useStyles();
  return <span className={classes.text}>♥ Vitals</span>;
};
